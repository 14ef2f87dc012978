from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from api.models import ApiScope
from api.services import api_token_create

ALL_SCOPES = list(ApiScope.values)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The rate limit counts in the cache; each test starts with none spent.
    cache.clear()


@pytest.fixture
def token_for(alice):
    """A client bearing a new token of a workspace, with these scopes."""

    def make(workspace, scopes=ALL_SCOPES, **kwargs):
        token, plain = api_token_create(
            workspace=workspace,
            user=kwargs.pop("user", alice),
            name="Test",
            scopes=scopes,
            **kwargs,
        )
        client = Client(headers={"authorization": f"Bearer {plain}", "accept-language": "en"})
        client.token = token
        client.plain = plain
        return client

    return make


@pytest.fixture
def api(workspace, token_for):
    """Alice's workspace's client with every scope."""
    return token_for(workspace)


def url(workspace, path: str) -> str:
    return f"/api/v1/w/{workspace.slug}/{path}"
