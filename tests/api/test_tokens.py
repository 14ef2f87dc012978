"""Tokens: what they reach, scopes, expiry, revocation, last use; the browser session."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke, token_hash
from tests.api.conftest import url
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory

PROBLEM = "application/problem+json"


def test_it_stores_only_the_hash_and_shows_a_prefix(workspace, alice):
    token, plain = api_token_create(
        workspace=workspace, user=alice, name=" CRM ", scopes=["creators:read", "nonsense"]
    )
    assert plain.startswith("kh_") and len(plain) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == token_hash(plain) and plain not in stored.secret_hash
    assert plain.startswith(stored.prefix) and len(stored.prefix) < 12
    assert stored.scopes == ["creators:read"] and stored.name == "CRM"


def test_it_lets_a_token_read_its_workspace(api, workspace):
    CreatorFactory(workspace=workspace, display_name="Lin")
    response = api.get(url(workspace, "creators"))
    assert response.status_code == 200
    assert [c["display_name"] for c in response.json()["results"]] == ["Lin"]


def test_it_refuses_a_request_without_credentials(client, workspace):
    response = client.get(url(workspace, "creators"))
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_it_refuses_an_unknown_token(workspace):
    client = Client(headers={"authorization": "Bearer kh_nope", "accept-language": "en"})
    response = client.get(url(workspace, "creators"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown API token."


def test_it_refuses_a_malformed_authorization_header(workspace):
    client = Client(headers={"authorization": "Bearer a b", "accept-language": "en"})
    assert client.get(url(workspace, "creators")).status_code == 401


def test_it_refuses_an_expired_token(token_for, workspace):
    client = token_for(workspace, expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(url(workspace, "creators"))
    assert response.status_code == 401
    assert response.json()["detail"] == "This API token has expired."


def test_it_accepts_a_token_until_it_expires(token_for, workspace):
    client = token_for(workspace, expires_at=timezone.now() + timedelta(days=1))
    assert client.get(url(workspace, "creators")).status_code == 200


def test_it_refuses_a_revoked_token_at_once(api, workspace):
    assert api.get(url(workspace, "creators")).status_code == 200
    api_token_revoke(token=api.token)
    response = api.get(url(workspace, "creators"))
    assert response.status_code == 401
    assert response.json()["detail"] == "This API token was revoked."


def test_it_notes_the_last_use_at_most_once_a_minute(api, workspace):
    api.get(url(workspace, "creators"))
    first = ApiToken.objects.get(pk=api.token.pk).last_used_at
    assert first is not None
    api.get(url(workspace, "creators"))
    assert ApiToken.objects.get(pk=api.token.pk).last_used_at == first
    ApiToken.objects.filter(pk=api.token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get(url(workspace, "creators"))
    assert ApiToken.objects.get(pk=api.token.pk).last_used_at > first - timedelta(minutes=1)


def test_it_refuses_a_read_token_to_write_with_a_403_problem(token_for, workspace):
    client = token_for(workspace, scopes=["creators:read"])
    response = client.post(
        url(workspace, "creators"), {"display_name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert "creators:write" in response.json()["detail"]


def test_it_limits_each_token_to_its_scopes(token_for, workspace, brand):
    campaign = CampaignFactory(brand=brand)
    collaboration = CollaborationFactory(campaign=campaign)
    creator = CreatorFactory(workspace=workspace)
    routes = {
        "creators:read": ("get", f"creators/{creator.pk}", None),
        "creators:write": ("patch", f"creators/{creator.pk}", {"city": "Hsinchu"}),
        "campaigns:read": ("get", f"campaigns/{campaign.pk}", None),
        "campaigns:write": (
            "post",
            f"collaborations/{collaboration.pk}/stage",
            {"stage": "contacted"},
        ),
        "results:read": ("get", f"campaigns/{campaign.pk}/results", None),
    }
    for scope, (method, path, body) in routes.items():
        others = [s for s in routes if s != scope]
        denied = token_for(workspace, scopes=others)
        allowed = token_for(workspace, scopes=[scope])
        kwargs = {"content_type": "application/json"} if body is not None else {}
        args = (body,) if body is not None else ()
        assert getattr(denied, method)(url(workspace, path), *args, **kwargs).status_code == 403
        assert getattr(allowed, method)(url(workspace, path), *args, **kwargs).status_code == 200


def test_it_accepts_the_browser_session_of_a_member(bob_client, workspace):
    assert bob_client.get(url(workspace, "creators")).status_code == 200


def test_it_hides_the_workspace_from_another_members_session(charlie_client, workspace):
    assert charlie_client.get(url(workspace, "creators")).status_code == 404


def test_it_checks_csrf_for_the_session(alice, workspace):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(alice)
    response = client.post(
        url(workspace, "creators"), {"display_name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_it_refuses_a_token_of_another_workspace(token_for, charlie_workspace, workspace):
    client = token_for(charlie_workspace)
    assert client.get(url(workspace, "creators")).status_code == 404
    assert client.get(url(charlie_workspace, "creators")).status_code == 200


def test_it_lets_the_session_write_with_its_csrf_token(alice, workspace):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(alice)
    client.get(reverse("settings_api", args=[workspace.slug]))  # sets the CSRF cookie
    response = client.post(
        url(workspace, "creators"),
        {"display_name": "From the browser"},
        content_type="application/json",
        headers={"x-csrftoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 201
