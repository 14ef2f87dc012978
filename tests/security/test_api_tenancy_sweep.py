"""Every REST API route, called with another workspace's token, answers 404 (or 405): the
token reaches only its own workspace, whatever slug or ids the URL names. The routes come
from the resolver (tests/url_patterns.py), so an endpoint added later is swept too."""

from __future__ import annotations

import pytest
from django.test import Client

from api.models import ApiScope
from api.services import api_token_create
from tests.url_patterns import OBJECT_ARGUMENTS, api_patterns, build


@pytest.fixture
def charlie_token_client(charlie, charlie_workspace):
    _token, plain = api_token_create(
        workspace=charlie_workspace, user=charlie, name="Charlie's", scopes=ApiScope.values
    )
    return Client(headers={"authorization": f"Bearer {plain}"})


def assert_refused(client, url: str) -> None:
    statuses = {
        method: getattr(client, method)(url, content_type="application/json").status_code
        for method in ("get", "post", "patch")
    }
    assert set(statuses.values()) <= {404, 405}, (url, statuses)
    assert 404 in statuses.values(), (url, statuses)


def test_it_has_api_routes_to_sweep():
    assert len(api_patterns()) >= 8


@pytest.mark.parametrize(("name", "arguments"), [(p.name, p.arguments) for p in api_patterns()])
def test_it_hides_a_workspace_from_another_workspaces_token(
    name, arguments, workspace, alice, charlie_token_client
):
    assert_refused(charlie_token_client, build(name, arguments, workspace.slug, workspace))


@pytest.mark.parametrize(
    ("name", "arguments"),
    [(p.name, p.arguments) for p in api_patterns() if set(p.arguments) & set(OBJECT_ARGUMENTS)],
)
def test_it_hides_other_workspaces_objects_behind_the_tokens_own_slug(
    name, arguments, workspace, alice, charlie_workspace, charlie_token_client
):
    url = build(name, arguments, charlie_workspace.slug, workspace)
    assert_refused(charlie_token_client, url)


@pytest.mark.parametrize(("name", "arguments"), [(p.name, p.arguments) for p in api_patterns()])
def test_it_answers_an_unknown_workspace_like_a_foreign_one(
    name, arguments, workspace, charlie_token_client
):
    assert_refused(charlie_token_client, build(name, arguments, "no-such-workspace", workspace))
