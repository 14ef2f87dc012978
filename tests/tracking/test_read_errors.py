"""Provider errors are stored as a stable code plus the platform's words, and shown as one
translated sentence naming the post's own platform; rows stored before codes read the same."""

from __future__ import annotations

import httpx
import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PostFactory, UserFactory
from tests.tracking.conftest import recorded
from tracking.ingest.errors import SENTENCES, error_code_of, error_sentence, read_error
from tracking.ingest.providers.base import (
    AuthExpired,
    Credentials,
    ErrorCode,
    NotConfigured,
    RateLimited,
    TemporaryFailure,
)
from tracking.ingest.providers.graph import graph_error
from tracking.ingest.providers.http import send
from tracking.ingest.providers.tiktok import _failure as tiktok_failure
from tracking.ingest.providers.youtube import YouTubeProvider
from tracking.models import Post

CREDENTIALS = Credentials(token="AIzaSyA-recorded-test-key", base_url="http://127.0.0.1:9")


def answer(status: int, fixture: str) -> httpx.Response:
    request = httpx.Request("GET", "http://127.0.0.1:9/")
    return httpx.Response(status, json=recorded(fixture), request=request)


@pytest.mark.parametrize(
    ("status", "fixture", "kind", "code"),
    [
        (403, "youtube/error_quota_exceeded.json", RateLimited, ErrorCode.QUOTA_EXCEEDED),
        (403, "youtube/error_rate_limit.json", RateLimited, ErrorCode.RATE_LIMITED),
        (400, "youtube/error_key_invalid.json", AuthExpired, ErrorCode.KEY_INVALID),
        (403, "youtube/error_forbidden.json", AuthExpired, ErrorCode.FORBIDDEN),
        (404, "youtube/error_video_not_found.json", None, ErrorCode.NOT_FOUND),
        (503, "youtube/error_backend.json", TemporaryFailure, ErrorCode.PLATFORM_DOWN),
    ],
)
def test_it_gives_each_youtube_error_its_code(db, status, fixture, kind, code):
    error = YouTubeProvider()._error(answer(status, fixture), CREDENTIALS)
    assert error.code == code
    assert kind is None or isinstance(error, kind)


@pytest.mark.parametrize(
    ("status", "fixture", "code"),
    [
        (400, "instagram/error_token_expired.json", ErrorCode.AUTH_EXPIRED),  # 190
        (400, "instagram/error_session.json", ErrorCode.AUTH_EXPIRED),  # 102
        (400, "instagram/error_throttled.json", ErrorCode.RATE_LIMITED),  # 4
        (400, "instagram/error_user_throttled.json", ErrorCode.RATE_LIMITED),  # 17
        (400, "facebook/error_page_throttled.json", ErrorCode.RATE_LIMITED),  # 32
        (400, "instagram/error_custom_throttled.json", ErrorCode.RATE_LIMITED),  # 613
        (400, "instagram/error_buc_throttled.json", ErrorCode.RATE_LIMITED),  # 80002
        (400, "instagram/error_not_enough_viewers.json", ErrorCode.NO_PERMISSION),  # 10
        (400, "facebook/error_insights_permission.json", ErrorCode.NO_PERMISSION),  # 10
        (400, "instagram/error_object_missing.json", ErrorCode.NOT_FOUND),  # 100/33
        (500, "threads/error_transient.json", ErrorCode.PLATFORM_DOWN),  # 2
        (400, "threads/error_invalid_metric.json", ErrorCode.FAILED),  # 100
        (400, "threads/error_token_expired.json", ErrorCode.AUTH_EXPIRED),
        (400, "threads/error_throttled.json", ErrorCode.RATE_LIMITED),
    ],
)
def test_it_gives_each_graph_api_error_its_code(status, fixture, code):
    assert graph_error(answer(status, fixture), service="Instagram").failure().code == code


@pytest.mark.parametrize(
    ("status", "fixture", "code"),
    [
        (401, "tiktok/error_access_token_invalid.json", ErrorCode.AUTH_EXPIRED),
        (401, "tiktok/error_scope_not_authorized.json", ErrorCode.FORBIDDEN),
        (429, "tiktok/error_rate_limit.json", ErrorCode.RATE_LIMITED),
        (500, "tiktok/error_internal.json", ErrorCode.PLATFORM_DOWN),
        (400, "tiktok/error_invalid_params.json", ErrorCode.FAILED),
    ],
)
def test_it_gives_each_tiktok_error_its_code(status, fixture, code):
    assert tiktok_failure(answer(status, fixture)).code == code


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (httpx.ConnectTimeout("timed out"), ErrorCode.TIMEOUT),
        (httpx.ReadTimeout("timed out"), ErrorCode.TIMEOUT),
        (httpx.ConnectError("refused"), ErrorCode.NETWORK),
    ],
)
def test_network_trouble_and_timeouts_are_told_apart(failure, code):
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    transport = httpx.MockTransport(fail)
    with (
        httpx.Client(transport=transport, base_url="http://127.0.0.1:9") as http,
        pytest.raises(TemporaryFailure) as raised,
    ):
        send(http, "GET", "/videos")
    assert raised.value.code == code


def test_not_configured_is_its_own_code():
    assert NotConfigured("No youtube connection").code == ErrorCode.NOT_CONFIGURED


def test_every_code_has_a_sentence_in_both_languages():
    assert set(SENTENCES) == set(ErrorCode)
    for code in ErrorCode:
        with translation.override("en"):
            english = error_sentence(code, "instagram")
        assert "Instagram" in english and "%(" not in english
        with translation.override("zh-hant"):
            chinese = error_sentence(code, "instagram")
        assert "Instagram" in chinese
        assert chinese != english, f"{code} is not translated"


def test_the_sentence_names_the_post_s_own_platform():
    youtube = Post(platform="youtube", error_code="not_configured")
    instagram = Post(platform="instagram", error_code="not_configured")
    with translation.override("en"):
        assert read_error(youtube).startswith("No YouTube connection")
        assert read_error(instagram).startswith("No Instagram connection")
    with translation.override("zh-hant"):
        assert read_error(youtube) == "此工作區沒有可讀取這則貼文的 YouTube 連結。"


@pytest.mark.parametrize(
    ("platform", "words", "code"),
    [
        ("youtube", "No youtube connection in this workspace to read its posts", "not_configured"),
        (
            "youtube",
            "YouTube HTTP 403 quotaExceeded: The request cannot be completed",
            "quota_exceeded",
        ),
        ("youtube", "Daily youtube quota used up (10000 of 10000 units)", "quota_exceeded"),
        ("youtube", "YouTube HTTP 400 badRequest,keyInvalid: API key not valid.", "key_invalid"),
        ("youtube", "YouTube no longer lists this video (deleted or private)", "deleted"),
        ("youtube", "YouTube HTTP 503 backendError: The service is unavailable.", "platform_down"),
        (
            "instagram",
            "Instagram HTTP 400 code 190/463: Error validating access token",
            "auth_expired",
        ),
        ("instagram", "Instagram HTTP 400 code 4: (#4) Application request limit", "rate_limited"),
        ("instagram", "Instagram HTTP 400 code 100/33: Unsupported get request.", "not_found"),
        ("tiktok", "Could not reach open.tiktokapis.com: ReadTimeout", "timeout"),
        ("tiktok", "Could not reach open.tiktokapis.com: ConnectError", "network"),
        ("threads", "Something nobody foresaw", "failed"),
    ],
)
def test_a_row_stored_before_codes_reads_its_code_from_its_words(platform, words, code):
    assert error_code_of(Post(platform=platform, last_error=words)) == code


def test_a_row_without_an_error_has_no_sentence():
    assert read_error(Post(platform="youtube")) == ""


def test_the_admin_shows_the_sentence_beside_the_platform_s_words(db, client):
    post = PostFactory(
        error_code="quota_exceeded", last_error="YouTube HTTP 403 quotaExceeded: exceeded"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:tracking_post_changelist"))
    assert "The key&#x27;s daily YouTube quota is used up" in listing.text
    page = client.get(reverse("admin:tracking_post_change", args=[post.pk]))
    assert "The key&#x27;s daily YouTube quota is used up" in page.text
    assert "YouTube HTTP 403 quotaExceeded" in page.text
