"""Signing pages: the contract panel (issue, sign for the brand), the audit page and its PDFs,
the portal's contract card and receipts, and the workspace setting."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from campaigns.models import (
    DocumentKind,
    InstallmentStatus,
    Payee,
    PayeeKind,
    Signature,
    SignedDocument,
    SignerRole,
)
from campaigns.signing import services
from tests.campaigns import url
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    InstallmentFactory,
    MembershipFactory,
    PortalLinkFactory,
    UserFactory,
)

CONSENT = {"name": "林美玲", "consent": "on"}


@pytest.fixture
def collaboration(brand, alice):
    collaboration = CollaborationFactory(
        campaign=CampaignFactory(brand=brand, name="Winter Tea"),
        creator__display_name="Mei Eats",
        creator__real_name="林美玲",
        fee=Decimal(15000),
        owner=alice,
    )
    DeliverableFactory(collaboration=collaboration)
    return collaboration


@pytest.fixture
def link(collaboration):
    return PortalLinkFactory(collaboration=collaboration)


def issued(collaboration, alice):
    """Issue the contract and let the worker print its PDF (the task runs once committed)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _client(alice).post(
            url("signing_contract_issue", collaboration.workspace, collaboration.pk),
            {"language": "en"},
        )
    assert response.status_code == 302
    return SignedDocument.objects.get(collaboration=collaboration, superseded_at__isnull=True)


def _client(user):
    from django.test import Client

    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def contract_url(collaboration, **query):
    base = url("collaboration_contract", collaboration.workspace, collaboration.pk)
    return base + ("?language=" + query["language"] if query else "")


# --- Staff: the contract panel --------------------------------------------------------------


def test_it_offers_issuing_to_managers_and_freezes_a_version(alice_client, collaboration, alice):
    page = alice_client.get(contract_url(collaboration, language="en"))
    assert "Not issued for signing yet" in page.content.decode()
    assert "Issue for signing" in page.content.decode()
    document = issued(collaboration, alice)
    assert document.version == 1 and document.language == "en"
    assert "TWD 15,000" in document.body
    page = alice_client.get(contract_url(collaboration, language="en")).content.decode()
    assert "Awaiting the creator" in page and "Issue for signing" not in page
    assert url("signing_document", collaboration.workspace, collaboration.pk, document.pk) in page


def test_it_says_when_the_terms_changed_since_the_issued_version(
    alice_client, collaboration, alice
):
    issued(collaboration, alice)
    collaboration.fee = Decimal(18000)
    collaboration.save()
    page = alice_client.get(contract_url(collaboration, language="en")).content.decode()
    assert "differs from version 1" in page and "Issue version 2 for signing" in page
    issued(collaboration, alice)
    assert SignedDocument.objects.filter(collaboration=collaboration).count() == 2


def test_members_read_but_do_not_issue(bob_client, collaboration):
    page = bob_client.get(contract_url(collaboration, language="en")).content.decode()
    assert "Issue for signing" not in page
    response = bob_client.post(
        url("signing_contract_issue", collaboration.workspace, collaboration.pk)
    )
    assert response.status_code == 404
    assert not SignedDocument.objects.exists()


def test_issuing_answers_405_to_get(alice_client, collaboration):
    response = alice_client.get(
        url("signing_contract_issue", collaboration.workspace, collaboration.pk)
    )
    assert response.status_code == 405


def test_the_htmx_branch_of_the_contract_page_keeps_the_panel(alice_client, collaboration):
    response = alice_client.get(
        contract_url(collaboration, language="en"), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert 'id="signing"' in page and "<html" not in page


def test_the_brand_signs_on_the_audit_page(alice_client, collaboration, alice, link):
    document = issued(collaboration, alice)
    services.document_sign(
        document=document,
        role=SignerRole.CREATOR,
        name="林美玲",
        consent=True,
        portal_link=link,
        ip="198.51.100.1",
        user_agent="iPhone",
    )
    sign_url = url("signing_document_sign", collaboration.workspace, collaboration.pk, document.pk)
    refused = alice_client.post(sign_url, {"name": "Alice Owner"}, follow=True)
    assert "Tick the box" in refused.content.decode()
    response = alice_client.post(
        sign_url, {"name": "Alice Owner", "consent": "on"}, HTTP_USER_AGENT="Firefox"
    )
    assert response.status_code == 302
    signature = Signature.objects.get(role=SignerRole.BRAND)
    assert signature.user == alice and signature.user_agent == "Firefox"
    page = alice_client.get(response.url).content.decode()
    assert "Signed" in page and document.sha256 in page and "alice@example.com" in page
    assert f"creator portal link #{link.pk}" in page and link.token not in page
    again = alice_client.post(sign_url, {"name": "Alice Owner", "consent": "on"}, follow=True)
    assert "already been signed" in again.content.decode()


def test_the_audit_page_and_its_pdfs_in_a_few_queries(
    bob_client, collaboration, alice, django_assert_max_num_queries
):
    document = issued(collaboration, alice)
    page_url = url("signing_document", collaboration.workspace, collaboration.pk, document.pk)
    with django_assert_max_num_queries(12):
        response = bob_client.get(page_url)
    assert response.status_code == 200 and "Sign for the brand" not in response.content.decode()
    original = bob_client.get(
        url("signing_document_pdf", collaboration.workspace, collaboration.pk, document.pk)
    )
    assert original["Content-Type"] == "application/pdf"
    assert services.sha256_of(original.content) == document.sha256
    signed = bob_client.get(
        url("signing_document_signed_pdf", collaboration.workspace, collaboration.pk, document.pk)
    )
    assert len(PdfReader(io.BytesIO(signed.content)).pages) == (
        len(PdfReader(io.BytesIO(original.content)).pages) + 1
    )


@pytest.mark.parametrize(
    "name",
    [
        "signing_document",
        "signing_document_pdf",
        "signing_document_signed_pdf",
    ],
)
def test_an_outsider_gets_404_for_documents(charlie_client, collaboration, alice, name):
    document = issued(collaboration, alice)
    response = charlie_client.get(url(name, collaboration.workspace, collaboration.pk, document.pk))
    assert response.status_code == 404


def test_a_document_of_another_collaboration_is_404(alice_client, collaboration, alice, brand):
    document = issued(collaboration, alice)
    other = CollaborationFactory(campaign__brand=brand)
    response = alice_client.get(url("signing_document", brand.workspace, other.pk, document.pk))
    assert response.status_code == 404


# --- Portal: the contract card -----------------------------------------------------------


def test_the_portal_shows_the_contract_once_issued_and_the_creator_signs_it(
    client, link, collaboration, alice
):
    home = reverse("portal_home", args=[link.token])
    assert 'id="contract"' not in client.get(home).content.decode()
    document = issued(collaboration, alice)
    page = client.get(home).content.decode()
    assert 'id="contract"' in page and "Sign the contract" in page and "TWD 15,000" in page
    sign_url = reverse("portal_contract_sign", args=[link.token, document.pk])
    refused = client.post(sign_url, {"name": "林美玲"})
    assert refused.status_code == 422 and "Tick the box" in refused.content.decode()
    response = client.post(sign_url, CONSENT, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Safari")
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.portal_link == link and signature.user is None
    assert signature.ip_hash == services.ip_hash("203.0.113.9")
    page = client.get(home).content.decode()
    assert "Signed by 林美玲" in page and "Sign the contract" not in page
    signed = client.get(reverse("portal_document_signed_pdf", args=[link.token, document.pk]))
    assert signed.status_code == 200 and signed["Content-Type"] == "application/pdf"


def test_older_versions_stay_downloadable_on_the_portal(client, link, collaboration, alice):
    first = issued(collaboration, alice)
    collaboration.fee = Decimal(20000)
    collaboration.save()
    issued(collaboration, alice)
    page = client.get(reverse("portal_home", args=[link.token])).content.decode()
    assert "Earlier versions" in page
    assert reverse("portal_document_pdf", args=[link.token, first.pk]) in page
    refused = client.post(reverse("portal_contract_sign", args=[link.token, first.pk]), CONSENT)
    assert refused.status_code == 422 and "replaced" in refused.content.decode()


def test_an_expired_link_cannot_sign(client, link, collaboration, alice):
    document = issued(collaboration, alice)
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    response = client.post(reverse("portal_contract_sign", args=[link.token, document.pk]), CONSENT)
    assert response.status_code == 410
    assert not Signature.objects.exists()


def test_a_link_opens_no_other_collaborations_documents(client, link, brand, alice):
    other = CollaborationFactory(campaign__brand=brand, fee=Decimal(1))
    document = issued(other, alice)
    for name in ("portal_document_pdf", "portal_document_signed_pdf"):
        assert client.get(reverse(name, args=[link.token, document.pk])).status_code == 404
    response = client.post(reverse("portal_contract_sign", args=[link.token, document.pk]), CONSENT)
    assert response.status_code == 404
    assert not Signature.objects.exists()


def test_portal_signing_answers_405_to_get(client, link, collaboration, alice):
    document = issued(collaboration, alice)
    response = client.get(reverse("portal_contract_sign", args=[link.token, document.pk]))
    assert response.status_code == 405


# --- Portal: receipts ------------------------------------------------------------------


def _payee(collaboration):
    return Payee.objects.create(
        workspace=collaboration.workspace,
        collaboration=collaboration,
        kind=PayeeKind.RESIDENT,
        legal_name="林美玲",
        tax_id="A223456789",
        updated_via="portal",
    )


def test_the_creator_reads_and_signs_a_receipt(client, link, collaboration):
    installment = InstallmentFactory(
        collaboration=collaboration, amount=Decimal(15000), status=InstallmentStatus.APPROVED
    )
    _payee(collaboration)
    receipt_url = reverse("portal_receipt", args=[link.token, installment.pk])
    page = client.get(receipt_url).content.decode()
    assert "Service remuneration receipt" in page and "••••••6789" in page
    assert "A223456789" not in page and "TWD 15,000" in page
    document = SignedDocument.objects.get(kind=DocumentKind.RECEIPT)
    stale = client.post(receipt_url, {**CONSENT, "document": document.pk + 1000})
    assert stale.status_code == 422 and "changed while you were reading" in stale.content.decode()
    response = client.post(receipt_url, {**CONSENT, "document": document.pk})
    assert response.status_code == 302
    assert Signature.objects.get().document == document
    page = client.get(receipt_url).content.decode()
    assert "Signed by 林美玲" in page and "Sign the receipt" not in page


def test_a_receipt_needs_payment_details_first(client, link, collaboration):
    installment = InstallmentFactory(
        collaboration=collaboration, status=InstallmentStatus.PAID, paid_on=timezone.localdate()
    )
    page = client.get(reverse("portal_receipt", args=[link.token, installment.pk]))
    assert page.status_code == 200
    assert "enter your payment details first" in page.content.decode()
    posted = client.post(reverse("portal_receipt", args=[link.token, installment.pk]), CONSENT)
    assert posted.status_code == 422
    assert not SignedDocument.objects.exists() and not Signature.objects.exists()


def test_a_receipt_is_only_for_approved_or_paid_installments_of_the_link(
    client, link, collaboration, brand
):
    _payee(collaboration)
    scheduled = InstallmentFactory(collaboration=collaboration)
    elsewhere = InstallmentFactory(
        collaboration=CollaborationFactory(campaign__brand=brand),
        status=InstallmentStatus.APPROVED,
    )
    for installment in (scheduled, elsewhere):
        response = client.get(reverse("portal_receipt", args=[link.token, installment.pk]))
        assert response.status_code == 404
    response = client.delete(reverse("portal_receipt", args=[link.token, scheduled.pk]))
    assert response.status_code == 405


def test_the_receipt_status_include_links_to_the_audit_page(rf, collaboration, alice):
    from django.template.loader import render_to_string

    installment = InstallmentFactory(collaboration=collaboration, status=InstallmentStatus.APPROVED)
    _payee(collaboration)
    document = services.receipt_issue(installment=installment, language="en")
    nav = {"workspace": collaboration.workspace}
    html = render_to_string(
        "campaigns/signing/_receipt_status.html", {"document": document, "nav": nav}
    )
    assert "Awaiting the creator" in html
    assert url("signing_document", collaboration.workspace, collaboration.pk, document.pk) in html
    empty = render_to_string("campaigns/signing/_receipt_status.html", {"document": None})
    assert "Receipt not issued" in empty


# --- Settings -------------------------------------------------------------------------


def test_owners_turn_on_the_signed_contract_rule(alice_client, workspace):
    data = {
        "name": workspace.name,
        "timezone": workspace.timezone,
        "currency": workspace.currency,
        "language": workspace.language,
        "require_signed_contract": "on",
    }
    response = alice_client.post(reverse("settings_general", args=[workspace.slug]), data)
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.require_signed_contract


def test_managers_cannot_change_the_signed_contract_rule(client_for, workspace):
    manager = UserFactory(email="mona@example.com")
    MembershipFactory(workspace=workspace, user=manager, role="manager")
    client = client_for(manager)
    settings_url = reverse("settings_general", args=[workspace.slug])
    assert "disabled" in client.get(settings_url).content.decode()
    data = {
        "name": "Renamed",
        "timezone": workspace.timezone,
        "currency": workspace.currency,
        "language": workspace.language,
        "require_signed_contract": "on",
    }
    assert client.post(settings_url, data).status_code == 302
    workspace.refresh_from_db()
    assert workspace.name == "Renamed" and not workspace.require_signed_contract


def test_an_altered_pdf_is_flagged_and_gets_no_audit_page(alice_client, client, link, alice):
    document = issued(link.collaboration, alice)
    with open(document.pdf.path, "ab") as file:
        file.write(b"%altered")
    args = (link.collaboration.workspace, link.collaboration.pk, document.pk)
    page = alice_client.get(url("signing_document", *args)).content.decode()
    assert "no longer matches" in page
    response = alice_client.get(url("signing_document_signed_pdf", *args), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "no longer matches" in response.content.decode()
    portal = client.get(reverse("portal_document_pdf", args=[link.token, document.pk]))
    assert portal.status_code == 302


def test_the_contract_page_lists_versions_in_a_few_queries(
    alice_client, collaboration, alice, django_assert_max_num_queries
):
    for fee in (Decimal(16000), Decimal(17000), Decimal(18000)):
        issued(collaboration, alice)
        collaboration.fee = fee
        collaboration.save()
    with django_assert_max_num_queries(18):
        page = alice_client.get(contract_url(collaboration, language="en"))
    assert page.content.decode().count("signing-versions__item") == 3
