"""API keys and tokens travel in headers, never in a logged URL, and a platform's error that
quotes one is stored, printed and shown without it (recorded responses at the HTTP boundary)."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

import httpx
import pytest
import respx
import time_machine
from django.core.management import call_command

from tests.factories import (
    CollaborationFactory,
    PlatformConnectionFactory,
    PostFactory,
    SocialAccountFactory,
)
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest import oauth
from tracking.ingest.providers import PROVIDERS
from tracking.ingest.providers.base import (
    AccountRef,
    Credentials,
    PostRef,
    ProviderError,
)
from tracking.ingest.pulls import Batch, pull_batch
from tracking.models import Post

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TOKEN = "EAAGm0PX4ZCpsBA-recorded-secret-token"
POST_IDS = {
    "youtube": "dQw4w9WgXcQ",
    "instagram": "C9xYz12AbCd",
    "threads": "C8aBcDeFgHi",
    "tiktok": "7341234567890123456",
    "facebook": "872345678901234",
}
# How each platform was told who calls (PLATFORMS.md: the key header, OAuth bearer tokens).
SENT_AS = {
    "youtube": ("X-Goog-Api-Key", TOKEN),
    **dict.fromkeys(
        ("instagram", "threads", "tiktok", "facebook"), ("Authorization", f"Bearer {TOKEN}")
    ),
}
# A body each platform's reader takes without complaint: an empty list of what was asked.
NEUTRAL = {"items": [], "data": {"videos": [], "user": {}}, "error": {"code": "ok"}}
GRAPH_NEUTRAL = {"data": [], "followers_count": 1}
MALFORMED = {
    "error": {"message": f"Malformed access token {TOKEN}", "type": "OAuthException", "code": 190}
}


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


def base(platform: str) -> str:
    return f"{LOOPBACK}/{platform}"


def answer(platform: str) -> httpx.Response:
    neutral = NEUTRAL if platform in ("youtube", "tiktok") else GRAPH_NEUTRAL
    return httpx.Response(200, json=neutral)


@pytest.mark.parametrize("platform", POST_IDS)
@respx.mock
def test_a_pull_sends_the_key_in_a_header_and_logs_no_key(platform, caplog):
    route = respx.route(url__startswith=base(platform)).mock(return_value=answer(platform))
    credentials = Credentials(
        token=TOKEN, base_url=base(platform), account_id="1784140", reads_own_posts=True
    )
    provider = PROVIDERS[platform]
    with caplog.at_level(logging.INFO, logger="httpx"):
        provider.fetch_posts([PostRef(key=1, platform_id=POST_IDS[platform])], credentials)
        account = AccountRef(key=1, platform_id="UC1784140", handle="someone", by_owner=True)
        # The neutral body has no figures: what was sent is the point.
        with contextlib.suppress(ProviderError):
            provider.fetch_account(account, credentials)
    assert route.call_count >= 2
    header, value = SENT_AS[platform]
    for call in route.calls:
        assert call.request.headers[header] == value
        assert TOKEN not in str(call.request.url)
    assert "HTTP Request" in caplog.text and TOKEN not in caplog.text


@pytest.mark.parametrize("platform", ["instagram", "facebook", "threads"])
@respx.mock
def test_paging_urls_that_quote_the_token_are_not_kept(platform):
    answered = {
        "data": [
            {"id": "1", "shortcode": POST_IDS[platform], "timestamp": "2026-11-22T10:00:00+0000"}
        ],
        "paging": {"next": f"https://graph.example/v24.0/1/media?access_token={TOKEN}&after=QVF"},
    }
    respx.route(url__startswith=base(platform)).respond(json=answered)
    credentials = Credentials(
        token=TOKEN, base_url=base(platform), account_id="1784140", reads_own_posts=True
    )
    ref = PostRef(key=1, platform_id=POST_IDS[platform])
    outcome = PROVIDERS[platform].fetch_posts([ref], credentials)[1]
    assert TOKEN not in repr(outcome)


@respx.mock
def test_an_error_quoting_the_token_is_stored_printed_and_shown_without_it(workspace, capsys):
    connection = PlatformConnectionFactory(workspace=workspace, platform="instagram", token=TOKEN)
    # The brand's connection reads the creator's public posts by their handle.
    creator = SocialAccountFactory(creator__workspace=workspace, platform="instagram").creator
    post = PostFactory(
        collaboration=CollaborationFactory(campaign__workspace=workspace, creator=creator),
        platform="instagram",
        platform_id="C9xYz12AbCd",
        url="https://www.instagram.com/reel/C9xYz12AbCd/",
    )
    respx.route(url__startswith=base("instagram")).respond(400, json=MALFORMED)
    with pytest.raises(SystemExit):
        call_command("pull_metrics", "--workspace", workspace.slug)
    out = capsys.readouterr().out
    assert "AuthExpired" in out and "Malformed access token [redacted]" in out
    assert TOKEN not in out
    post.refresh_from_db()
    connection.refresh_from_db()
    assert post.last_error and TOKEN not in post.last_error
    assert "Malformed access token [redacted]" in connection.last_error


@respx.mock
def test_a_youtube_error_quoting_the_key_is_stored_without_it(workspace, settings):
    settings.YOUTUBE_API_KEY = TOKEN
    post = PostFactory(collaboration=CollaborationFactory(campaign__workspace=workspace))
    error = recorded("youtube/error_key_invalid.json")
    error["error"]["message"] = f"API key not valid: key={TOKEN}"
    respx.get(f"{base('youtube')}/videos").respond(400, json=error)
    pull_batch(Batch("youtube", workspace.pk, None, (post.pk,)))
    assert TOKEN not in Post.objects.get(pk=post.pk).last_error


@respx.mock
def test_a_refused_connection_does_not_echo_the_secrets_it_was_sent(settings):
    settings.META_APP_ID, settings.META_APP_SECRET = "1234567890", "meta-app-secret-value"
    echo = {"error": {"message": "Bad code AQD-secret-code for secret meta-app-secret-value"}}
    respx.get(f"{base('facebook')}/oauth/access_token").respond(400, json=echo)
    with pytest.raises(oauth.ConnectFailed) as refused:
        oauth.LOGINS["facebook"].exchange(
            code="AQD-secret-code", redirect_uri="https://kolhub.example/cb"
        )
    assert "AQD-secret-code" not in str(refused.value)
    assert "meta-app-secret-value" not in str(refused.value)
