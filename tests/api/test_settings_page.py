"""Settings → API: owners and managers create (shown once), list and revoke tokens."""

from __future__ import annotations

from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create, token_hash
from kolhub.models import Role
from tests.factories import MembershipFactory, UserFactory


def page(workspace) -> str:
    return reverse("settings_api", args=[workspace.slug])


def test_it_creates_a_token_and_shows_it_once(alice_client, workspace, alice):
    response = alice_client.post(
        page(workspace),
        {"name": "CRM sync", "scopes": ["creators:read", "creators:write"], "expires": "90"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    plain = response.context["plain"]
    assert plain.encode() in response.content
    assert token.secret_hash == token_hash(plain) and token.created_by == alice
    assert token.scopes == ["creators:read", "creators:write"] and token.expires_at
    listed = alice_client.get(page(workspace))
    assert b"CRM sync" in listed.content and plain.encode() not in listed.content


def test_it_asks_for_a_name_and_a_scope(alice_client, workspace):
    response = alice_client.post(page(workspace), {"name": " ", "scopes": []})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name", "scopes"}
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_scope(alice_client, workspace):
    response = alice_client.post(page(workspace), {"name": "X", "scopes": ["admin:all"]})
    assert response.status_code == 422 and not ApiToken.objects.exists()


def test_it_lets_a_manager_in_and_keeps_members_out(workspace, client_for, bob_client):
    manager = UserFactory()
    MembershipFactory(workspace=workspace, user=manager, role=Role.MANAGER)
    assert client_for(manager).get(page(workspace)).status_code == 200
    assert bob_client.get(page(workspace)).status_code == 404


def test_it_revokes_a_token(alice_client, workspace, alice):
    token, _plain = api_token_create(workspace=workspace, user=alice, name="BI", scopes=[])
    revoke = reverse("settings_api_token_revoke", args=[workspace.slug, token.pk])
    assert alice_client.get(revoke).status_code == 405
    response = alice_client.post(revoke)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in alice_client.get(page(workspace)).content.decode()


def test_it_refuses_to_revoke_another_workspaces_token(
    alice_client, workspace, charlie_workspace, charlie
):
    token, _plain = api_token_create(workspace=charlie_workspace, user=charlie, name="C", scopes=[])
    revoke = reverse("settings_api_token_revoke", args=[workspace.slug, token.pk])
    assert alice_client.post(revoke).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_lists_tokens_in_a_bounded_number_of_queries(
    alice_client, workspace, alice, django_assert_max_num_queries
):
    for n in range(15):
        api_token_create(workspace=workspace, user=alice, name=f"T{n}", scopes=["results:read"])
    with django_assert_max_num_queries(12):
        response = alice_client.get(page(workspace))
    assert response.content.count(b"results:read") >= 15
