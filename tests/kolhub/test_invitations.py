from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kolhub.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD, InvitationFactory, UserFactory


def invite(client, workspace, **data):
    return client.post(reverse("invitation_create", args=[workspace.slug]), data)


def test_it_sends_an_invitation_email(alice_client, workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(alice_client, workspace, email="New@Example.com", role="member")
    assert response.status_code == 302
    invitation = Invitation.objects.for_workspace(workspace).get()
    assert invitation.email == "new@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert invitation.token in mail.outbox[0].body


def test_it_keeps_line_breaks_out_of_the_subject(
    alice_client, workspace, django_capture_on_commit_callbacks
):
    type(workspace).objects.filter(pk=workspace.pk).update(name="Two\nLines")
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice_client, workspace, email="nl@example.com", role="member")
    assert "\n" not in mail.outbox[0].subject


def test_it_writes_the_email_in_the_workspace_language(
    alice_client, workspace, django_capture_on_commit_callbacks
):
    workspace.language = "zh-hant"
    workspace.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice_client, workspace, email="tw@example.com", role="member")
    assert "邀請" in mail.outbox[0].subject


def test_it_shows_form_errors_to_htmx_in_the_fragment(alice_client, workspace):
    response = alice_client.post(
        reverse("invitation_create", args=[workspace.slug]),
        {"email": "not-an-email", "role": "member"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.text.strip().startswith('<div id="invite-form">')
    assert "Enter a valid email address." in response.text
    assert not Invitation.objects.exists()


def test_it_redirects_htmx_after_a_successful_invitation(alice_client, workspace):
    response = alice_client.post(
        reverse("invitation_create", args=[workspace.slug]),
        {"email": "ok@example.com", "role": "member"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == reverse("settings_members", args=[workspace.slug])


def test_it_refuses_to_invite_an_existing_member(alice_client, workspace, bob):
    response = invite(alice_client, workspace, email="BOB@example.com", role="member")
    assert response.status_code == 422
    assert "already a member" in response.text


def test_it_requires_brands_for_a_client_invitation(alice_client, workspace, brand):
    response = invite(alice_client, workspace, email="c@example.com", role="client")
    assert response.status_code == 422
    assert "Choose at least one brand" in response.text


def test_it_does_not_offer_the_owner_role_to_managers(client_for, workspace):
    manager = UserFactory()
    Membership.objects.create(workspace=workspace, user=manager, role=Role.MANAGER)
    response = invite(client_for(manager), workspace, email="x@example.com", role="owner")
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_it_replaces_a_pending_invitation_to_the_same_address(alice_client, workspace):
    invite(alice_client, workspace, email="twice@example.com", role="member")
    invite(alice_client, workspace, email="twice@example.com", role="manager")
    pending = list(Invitation.objects.for_workspace(workspace).pending())
    assert [i.role for i in pending] == ["manager"]


def test_it_withdraws_an_invitation(alice_client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    alice_client.post(reverse("invitation_revoke", args=[workspace.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert (
        alice_client.get(reverse("invitation_accept", args=[invitation.token])).status_code == 410
    )


def test_it_creates_an_account_from_an_invitation(client, workspace, brand):
    invitation = InvitationFactory(workspace=workspace, email="viewer@example.com", role="client")
    invitation.brands.add(brand)
    url = reverse("invitation_accept", args=[invitation.token])
    assert "viewer@example.com" in client.get(url).text
    response = client.post(
        url,
        {"first_name": "Vi", "last_name": "Ewer", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.url == reverse("workspace_home", args=[workspace.slug])
    membership = Membership.objects.get(user__email="viewer@example.com")
    assert membership.role == Role.CLIENT
    assert list(membership.brands.all()) == [brand]
    assert client.get(response.url).status_code == 200  # signed in


def test_it_rerenders_the_account_form_with_errors(client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"first_name": "A", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 422
    assert "The two passwords differ." in response.text
    assert not User.objects.filter(email=invitation.email).exists()


def test_it_attaches_a_signed_in_user(workspace, charlie, charlie_client):
    invitation = InvitationFactory(workspace=workspace, email="charlie@example.com")
    url = reverse("invitation_accept", args=[invitation.token])
    assert "Accept invitation" in charlie_client.get(url).text
    charlie_client.post(url)
    assert Membership.objects.filter(workspace=workspace, user=charlie).exists()


def test_it_refuses_a_link_opened_by_another_account(workspace, charlie, charlie_client):
    invitation = InvitationFactory(workspace=workspace, email="someone@example.com", role="manager")
    url = reverse("invitation_accept", args=[invitation.token])
    page = charlie_client.get(url)
    assert page.status_code == 410
    assert "but you are signed in as charlie@example.com" in page.text
    assert "Sign out of charlie@example.com" in page.text
    assert charlie_client.post(url).status_code == 410
    assert not Membership.objects.filter(workspace=workspace, user=charlie).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_an_invitation_to_someone_already_a_member(workspace, alice, alice_client):
    invitation = InvitationFactory(workspace=workspace, email="alice@example.com", role="client")
    response = alice_client.post(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "already a member" in response.text
    assert Membership.objects.get(user=alice).role == Role.OWNER


def test_it_asks_an_existing_account_to_sign_in_first(client, workspace, charlie):
    invitation = InvitationFactory(workspace=workspace, email="charlie@example.com")
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_a_used_invitation(workspace, charlie_client):
    invitation = InvitationFactory(workspace=workspace, email="charlie@example.com")
    url = reverse("invitation_accept", args=[invitation.token])
    charlie_client.post(url)
    response = charlie_client.post(url)
    assert response.status_code == 410
    assert "already been used" in response.text


def test_it_refuses_an_expired_invitation(client, workspace):
    invitation = InvitationFactory(
        workspace=workspace, expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "expired" in response.text


def test_it_answers_404_for_an_unknown_token(client, db):
    assert client.get(reverse("invitation_accept", args=["nope"])).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_refuses_other_methods_on_accept(client, workspace, method):
    invitation = InvitationFactory(workspace=workspace)
    url = reverse("invitation_accept", args=[invitation.token])
    assert getattr(client, method)(url).status_code == 405
