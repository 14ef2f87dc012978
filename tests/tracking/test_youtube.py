"""The YouTube provider against recorded Data API v3 responses, errors included."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import respx
import time_machine

from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.providers.base import (
    AccountRef,
    AuthExpired,
    Credentials,
    Fetched,
    Gone,
    RateLimited,
    Unreadable,
)
from tracking.ingest.providers.youtube import YouTubeProvider
from tracking.ingest.quota import quota_spent_today
from tracking.models import ApiQuota, PostStatus

BASE = f"{LOOPBACK}/youtube/v3"
KEY = "AIzaSyA-recorded-test-key"
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 12:00 in California
CREDENTIALS = Credentials(token=KEY, base_url=BASE)
FIRST, SECOND = "dQw4w9WgXcQ", "9bZkp7q19f0"


def refs(*ids: str):
    from tracking.ingest.providers.base import PostRef

    return [PostRef(key=index + 1, platform_id=video_id) for index, video_id in enumerate(ids)]


def fetch(*ids: str):
    return YouTubeProvider().fetch_posts(refs(*ids), CREDENTIALS)


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@respx.mock
def test_it_reads_the_counters_of_a_batch_in_one_call():
    route = respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    outcomes = fetch(FIRST, SECOND)
    assert route.call_count == 1
    params = route.calls.last.request.url.params
    assert params["id"] == f"{FIRST},{SECOND}"
    assert params["part"] == "snippet,statistics,status"
    assert route.calls.last.request.headers["X-Goog-Api-Key"] == KEY
    assert "key" not in params
    first = outcomes[1]
    assert isinstance(first, Fetched)
    assert first.counters == {"views": 48213, "likes": 2210, "comments": 187}
    assert first.published_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert first.raw["id"] == FIRST
    assert first.thumbnail_url == "https://i.ytimg.com/vi/dQw4w9WgXcQ/mqdefault.jpg"
    assert outcomes[2].thumbnail_url == ""  # the answer has no thumbnails for it


@respx.mock
def test_a_hidden_like_count_is_unknown_not_zero_and_unlisted_is_live():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    second = fetch(FIRST, SECOND)[2]
    assert isinstance(second, Fetched)
    assert second.counters["likes"] is None
    assert second.counters["views"] == 120034


@pytest.mark.parametrize("posts", [1, 49, 50, 51, 100, 101, 250])
@respx.mock
def test_it_makes_one_call_per_fifty_posts_and_books_the_quota(posts):
    route = respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos_empty.json"))
    ids = [f"vid{n:08d}"[:11] for n in range(posts)]
    outcomes = fetch(*ids)
    assert route.call_count == math.ceil(posts / 50)
    assert all(len(call.request.url.params["id"].split(",")) <= 50 for call in route.calls)
    assert len(outcomes) == posts
    assert quota_spent_today(platform="youtube", token=KEY) == math.ceil(posts / 50)


@respx.mock
def test_a_video_left_out_of_the_answer_is_gone():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos_empty.json"))
    outcome = fetch(FIRST)[1]
    assert isinstance(outcome, Gone)
    assert outcome.status == PostStatus.DELETED


@respx.mock
def test_a_private_video_is_private():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/video_private.json"))
    outcome = fetch(FIRST)[1]
    assert isinstance(outcome, Gone)
    assert outcome.status == PostStatus.PRIVATE


@respx.mock
def test_a_count_that_is_not_a_number_spoils_only_its_post():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/video_bad_count.json"))
    outcomes = fetch(FIRST, SECOND)
    assert isinstance(outcomes[1], Unreadable)
    assert "about 48k" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_quota_exceeded_stops_until_midnight_pacific_and_books_the_day():
    route = respx.get(f"{BASE}/videos").respond(
        403, json=recorded("youtube/error_quota_exceeded.json")
    )
    with pytest.raises(RateLimited) as raised:
        fetch(FIRST)
    midnight = datetime(2026, 11, 24, 0, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert raised.value.retry_at == midnight
    assert "quotaExceeded" in raised.value.detail
    # The rest of the day is booked: the next pull is refused before any call is made.
    with pytest.raises(RateLimited):
        fetch(FIRST)
    assert route.call_count == 1
    assert ApiQuota.objects.get().units == 10_000


@respx.mock
def test_the_daily_budget_is_kept_by_our_own_count(settings):
    settings.YOUTUBE_DAILY_QUOTA = 2
    route = respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos_empty.json"))
    fetch(FIRST)
    fetch(FIRST)
    with pytest.raises(RateLimited):
        fetch(FIRST)
    assert route.call_count == 2
    assert ApiQuota.objects.get().credential != KEY  # a fingerprint, never the key


@respx.mock
def test_throttling_comes_back_after_retry_after():
    respx.get(f"{BASE}/videos").respond(
        403, json=recorded("youtube/error_rate_limit.json"), headers={"Retry-After": "120"}
    )
    with pytest.raises(RateLimited) as raised:
        fetch(FIRST)
    assert raised.value.retry_at == NOW + timedelta(seconds=120)


@respx.mock
def test_an_invalid_key_needs_a_person_not_a_retry():
    respx.get(f"{BASE}/videos").respond(400, json=recorded("youtube/error_key_invalid.json"))
    with pytest.raises(AuthExpired) as raised:
        fetch(FIRST)
    assert "keyInvalid" in raised.value.detail


@respx.mock
def test_it_reads_channel_statistics_and_the_latest_uploads():
    route = respx.get(f"{BASE}/channels").respond(json=recorded("youtube/channels.json"))
    uploads = respx.get(f"{BASE}/playlistItems").respond(
        json=recorded("youtube/playlist_items.json")
    )
    videos = respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    # The comment sample read with them: tests/tracking/test_platform_comments.py.
    respx.get(f"{BASE}/commentThreads").respond(json=recorded("youtube/comment_threads.json"))
    figures = YouTubeProvider().fetch_account(
        AccountRef(key=1, platform_id="UCuAXFkgsw1L7xaCfnd5JJOw"), CREDENTIALS
    )
    assert figures.followers == 128_000
    assert figures.posts_count == 412
    assert route.calls.last.request.url.params["id"] == "UCuAXFkgsw1L7xaCfnd5JJOw"
    assert route.calls.last.request.url.params["part"] == "snippet,statistics,contentDetails"
    assert uploads.calls.last.request.url.params["playlistId"] == "UUuAXFkgsw1L7xaCfnd5JJOw"
    assert uploads.calls.last.request.url.params["maxResults"] == "12"
    assert videos.calls.last.request.url.params["id"] == "dQw4w9WgXcQ,9bZkp7q19f0"
    assert [(p.platform_id, p.counters) for p in figures.recent_posts] == [
        ("dQw4w9WgXcQ", {"views": 48213, "likes": 2210, "comments": 187}),
        ("9bZkp7q19f0", {"views": 120034, "likes": None, "comments": 64}),
    ]
    # The channel's 240 px picture from the same call; each upload's link and 320×180 cover.
    assert figures.avatar_url.endswith("=s240-c-k-c0x00ffffff-no-rj")
    first, second = figures.recent_posts
    assert first.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert first.cover_url == "https://i.ytimg.com/vi/dQw4w9WgXcQ/mqdefault.jpg"
    assert second.cover_url == ""  # the answer gave this upload no thumbnails


@respx.mock
def test_a_channel_without_a_picture_in_its_snippet_has_none():
    body = recorded("youtube/channels.json")
    body["items"][0]["snippet"]["thumbnails"] = {"medium": {"url": "javascript:alert(1)"}}
    respx.get(f"{BASE}/channels").respond(json=body)
    respx.get(f"{BASE}/playlistItems").respond(json={"items": []})
    figures = YouTubeProvider().fetch_account(
        AccountRef(key=1, platform_id="UCuAXFkgsw1L7xaCfnd5JJOw"), CREDENTIALS
    )
    assert figures.avatar_url == ""


@respx.mock
def test_a_channel_found_by_handle_with_hidden_subscribers_has_no_follower_count():
    body = recorded("youtube/channels.json")
    body["items"][0]["statistics"]["hiddenSubscriberCount"] = True
    route = respx.get(f"{BASE}/channels").respond(json=body)
    # The uploads list failing leaves the baseline empty; the channel's figures still count.
    respx.get(f"{BASE}/playlistItems").respond(503, json=recorded("youtube/error_backend.json"))
    figures = YouTubeProvider().fetch_account(
        AccountRef(key=1, platform_id="", handle="anan"), CREDENTIALS
    )
    assert figures.followers is None
    assert figures.recent_posts == ()
    assert route.calls.last.request.url.params["forHandle"] == "@anan"
