"""Every provider turns a broken network, a proxy's error page or a body that is not JSON into
a TemporaryFailure (retried with backoff), whatever call of its batch it happens on."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

from tests.tracking.conftest import LOOPBACK
from tracking.ingest.providers import PROVIDERS
from tracking.ingest.providers.base import Credentials, PostRef, TemporaryFailure

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# A well-formed id of each platform, as creators.post_urls parses them from post URLs.
POST_IDS = {
    "youtube": "dQw4w9WgXcQ",
    "instagram": "C9xYz12AbCd",
    "threads": "C8aBcDeFgHi",
    "tiktok": "7341234567890123456",
    "facebook": "872345678901234",
}
BASES = {"youtube": f"{LOOPBACK}/youtube/v3"}
FAILURES = {
    "network": lambda route: route.mock(side_effect=httpx.ConnectError("refused")),
    "reset": lambda route: route.mock(side_effect=httpx.RemoteProtocolError("reset")),
    "proxy error page": lambda route: route.respond(502, text="<html>Bad Gateway</html>"),
    "not json": lambda route: route.respond(200, text="<html>captive portal</html>"),
    "json but not an object": lambda route: route.respond(200, json=["unexpected"]),
}


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("platform", POST_IDS)
@respx.mock
def test_a_broken_answer_is_temporary(platform, failure, db):
    base = BASES.get(platform, f"{LOOPBACK}/{platform}")
    FAILURES[failure](respx.route(url__startswith=base))
    credentials = Credentials(token="recorded-test-token", base_url=base, account_id="1784140")
    # Read through someone else's connection: Instagram looks the author up by handle.
    post = PostRef(
        key=1, platform_id=POST_IDS[platform], published_at=NOW, author_handle="mei.eats"
    )
    with pytest.raises(TemporaryFailure):
        PROVIDERS[platform].fetch_posts([post], credentials)


@pytest.mark.parametrize("failure", FAILURES)
@respx.mock
def test_a_broken_answer_to_a_creators_own_instagram_connection_is_temporary(failure, db):
    base = f"{LOOPBACK}/instagram"
    FAILURES[failure](respx.route(url__startswith=base))
    credentials = Credentials(
        token="recorded-test-token", base_url=base, account_id="1784140", reads_own_posts=True
    )
    post = PostRef(key=1, platform_id=POST_IDS["instagram"], published_at=NOW)
    with pytest.raises(TemporaryFailure):
        PROVIDERS["instagram"].fetch_posts([post], credentials)
