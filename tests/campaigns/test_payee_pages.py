"""The payee on the portal (the creator enters it) and on the collaboration page (owners only
see it, masked, and reveal one value at a time)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import CollaborationEvent, EventKind, Payee, PayeeKind, PayeeSource
from kolhub.models import Role
from tests.campaigns.test_payee import DETAILS
from tests.factories import (
    PNG_BYTES,
    CampaignFactory,
    CollaborationFactory,
    MembershipFactory,
    PortalLinkFactory,
    UserFactory,
)


@pytest.fixture
def collaboration(brand):
    return CollaborationFactory(campaign=CampaignFactory(brand=brand))


@pytest.fixture
def link(collaboration):
    return PortalLinkFactory(collaboration=collaboration)


@pytest.fixture
def payee(client, link):
    client.post(reverse("portal_payee", args=[link.token]), DETAILS)
    return Payee.objects.get(collaboration=link.collaboration)


def staff_url(collaboration, name="payee_detail"):
    return reverse(name, args=[collaboration.workspace.slug, collaboration.pk])


def test_the_portal_asks_for_payment_details(client, link):
    response = client.get(reverse("portal_home", args=[link.token]))
    assert "Payment details" in response.text
    assert reverse("portal_payee", args=[link.token]) in response.text


def test_the_creator_saves_details_and_sees_them_masked(client, link):
    response = client.post(reverse("portal_payee", args=[link.token]), DETAILS, follow=True)
    payee = Payee.objects.get(collaboration=link.collaboration)
    assert payee.updated_via == PayeeSource.PORTAL and payee.account_number == "001234567890"
    assert "Your payment details were saved" in response.text
    assert "••••••••7890" in response.text and "••••••6789" in response.text
    assert "001234567890" not in response.text and "A123456789" not in response.text
    assert CollaborationEvent.objects.get(kind=EventKind.PAYEE).by_creator


def test_the_portal_names_the_wrong_field(client, link):
    response = client.post(
        reverse("portal_payee", args=[link.token]), {**DETAILS, "tax_id": "A123456788"}
    )
    assert response.status_code == 422
    assert "not a valid national ID" in response.text
    assert not Payee.objects.exists()


def test_the_portal_payee_form_refuses_get(client, link):
    assert client.get(reverse("portal_payee", args=[link.token])).status_code == 405


def test_members_see_only_whether_details_are_on_file(bob_client, collaboration, payee):
    response = bob_client.get(staff_url(collaboration))
    assert response.status_code == 200
    assert "王小美" in response.text and "on file" in response.text
    assert "6789" not in response.text and "Reveal" not in response.text


def test_owners_see_masked_values_with_a_reveal_button(alice_client, collaboration, payee):
    response = alice_client.get(staff_url(collaboration), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "••••••6789" in response.text and "A123456789" not in response.text
    assert "Reveal" in response.text


def test_an_owner_reveal_shows_the_value_once_and_is_logged(
    alice, alice_client, collaboration, payee
):
    url = staff_url(collaboration, "payee_reveal")
    response = alice_client.post(url, {"field": "tax_id"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "A123456789" in response.text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    event = CollaborationEvent.objects.filter(data__revealed="tax_id").get()
    assert event.actor == alice
    assert "A123456789" not in alice_client.get(staff_url(collaboration)).text


def test_a_reveal_of_an_unknown_field_is_refused(alice_client, collaboration, payee):
    response = alice_client.post(staff_url(collaboration, "payee_reveal"), {"field": "legal_name"})
    assert response.status_code == 400
    assert not CollaborationEvent.objects.filter(data__has_key="revealed").exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MANAGER])
def test_members_and_managers_cannot_reveal_or_edit(
    client_for, workspace, collaboration, payee, role
):
    user = UserFactory()
    MembershipFactory(workspace=workspace, user=user, role=role)
    client = client_for(user)
    assert (
        client.post(staff_url(collaboration, "payee_reveal"), {"field": "tax_id"}).status_code
        == 404
    )
    assert client.get(staff_url(collaboration, "payee_edit")).status_code == 404
    assert not CollaborationEvent.objects.filter(data__has_key="revealed").exists()


def test_outsiders_get_404(charlie_client, collaboration, payee):
    assert charlie_client.get(staff_url(collaboration)).status_code == 404
    response = charlie_client.post(staff_url(collaboration, "payee_reveal"), {"field": "tax_id"})
    assert response.status_code == 404


def test_an_owner_enters_details_for_the_creator(alice_client, collaboration):
    url = staff_url(collaboration, "payee_edit")
    assert alice_client.get(url).status_code == 200
    data = {**DETAILS, "kind": PayeeKind.BUSINESS, "tax_id": "22099131"}
    response = alice_client.post(url, data)
    assert response.status_code == 302
    payee = Payee.objects.get(collaboration=collaboration)
    assert payee.updated_via == PayeeSource.STAFF and payee.tax_id == "22099131"
    bad = alice_client.post(url, {**data, "bank_code": "8"})
    assert bad.status_code == 422 and "bank code is 3 digits" in bad.text


def test_the_collaboration_page_loads_the_payee_panel(bob_client, collaboration):
    response = bob_client.get(staff_url(collaboration, "collaboration_detail"))
    assert staff_url(collaboration) in response.text
    assert (
        "creator enters the payment details on the portal"
        in bob_client.get(staff_url(collaboration)).text
    )


def test_the_django_admin_shows_only_whether_details_are_on_file(superuser_client, payee):
    for url in (
        reverse("admin:campaigns_payee_changelist"),
        reverse("admin:campaigns_payee_change", args=[payee.pk]),
    ):
        response = superuser_client.get(url)
        assert response.status_code == 200
        assert "A123456789" not in response.text and "7890" not in response.text


def test_the_creator_attaches_the_nhi_proof_and_only_owners_open_it(
    client, link, alice_client, bob_client
):
    proof = SimpleUploadedFile("card.png", PNG_BYTES, content_type="image/png")
    response = client.post(
        reverse("portal_payee", args=[link.token]),
        {**DETAILS, "nhi_exempt": "on", "nhi_proof": proof},
    )
    assert response.status_code == 302
    url = staff_url(link.collaboration, "payee_nhi_proof")
    download = alice_client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG_BYTES
    assert "attachment" in download["Content-Disposition"]
    assert bob_client.get(url).status_code == 404
    assert url in alice_client.get(staff_url(link.collaboration)).text
