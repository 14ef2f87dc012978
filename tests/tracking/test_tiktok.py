"""The TikTok provider against recorded Display API v2 responses, errors included."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

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
    PostRef,
    ProviderError,
    RateLimited,
    TemporaryFailure,
    Unreadable,
)
from tracking.ingest.providers.tiktok import TikTokProvider
from tracking.models import PostStatus

BASE = f"{LOOPBACK}/tiktok"
QUERY = f"{BASE}/v2/video/query/"
USER_INFO = f"{BASE}/v2/user/info/"
VIDEO_LIST = f"{BASE}/v2/video/list/"
TOKEN = "act.recorded-test-token-1a2b3c4d5e6f"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CREDENTIALS = Credentials(
    token=TOKEN, base_url=BASE, account_id="-000xGZ7s4fQvJ2pB0yq1cN8eLk3Rt5Y9wA"
)
FIRST, SECOND = "7441234567890123456", "7442345678901234567"


def refs(*ids: str) -> list[PostRef]:
    return [PostRef(key=index + 1, platform_id=video_id) for index, video_id in enumerate(ids)]


def fetch(*ids: str):
    return TikTokProvider().fetch_posts(refs(*ids), CREDENTIALS)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@respx.mock
def test_it_reads_the_counters_of_a_batch_in_one_call():
    route = respx.post(QUERY).respond(json=recorded("tiktok/video_query.json"))
    outcomes = fetch(FIRST, SECOND)
    assert route.call_count == 1
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.url.params["fields"] == (
        "id,create_time,share_url,cover_image_url,view_count,like_count,comment_count,share_count"
    )
    assert json.loads(request.content) == {"filters": {"video_ids": [FIRST, SECOND]}}
    first = outcomes[1]
    assert isinstance(first, Fetched)
    # No saves and no reach in the Display API: left out, never 0.
    assert first.counters == {"views": 284310, "likes": 19820, "comments": 611, "shares": 1043}
    assert first.published_at == datetime.fromtimestamp(1763720000, tz=UTC)
    assert first.thumbnail_url.startswith("https://p16-sign-sg.tiktokcdn.com/obj/")
    assert outcomes[2].thumbnail_url == ""  # no cover in the answer: none, not a guess
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_a_count_missing_from_the_answer_is_unknown_not_zero():
    body = recorded("tiktok/video_query.json")
    del body["data"]["videos"][1]["share_count"]
    respx.post(QUERY).respond(json=body)
    second = fetch(FIRST, SECOND)[2]
    assert isinstance(second, Fetched)
    assert second.counters["shares"] is None
    assert second.counters["views"] == 51207


@pytest.mark.parametrize("posts", [1, 20, 21, 40, 41, 95])
@respx.mock
def test_it_makes_one_call_per_twenty_videos(posts):
    route = respx.post(QUERY).respond(json=recorded("tiktok/video_query_empty.json"))
    outcomes = fetch(*[f"74400000000000{n:05d}" for n in range(posts)])
    assert route.call_count == math.ceil(posts / 20)
    sizes = [len(json.loads(call.request.content)["filters"]["video_ids"]) for call in route.calls]
    assert all(size <= 20 for size in sizes)
    assert sum(sizes) == posts
    assert len(outcomes) == posts


@respx.mock
def test_a_video_left_out_of_the_answer_is_deleted():
    respx.post(QUERY).respond(json=recorded("tiktok/video_query.json"))
    outcomes = fetch(FIRST, "7449999999999999999")
    assert isinstance(outcomes[1], Fetched)
    assert isinstance(outcomes[2], Gone)
    assert outcomes[2].status == PostStatus.DELETED


@respx.mock
def test_an_unresolved_short_link_is_unreadable_and_not_sent():
    route = respx.post(QUERY).respond(json=recorded("tiktok/video_query.json"))
    short = PostRef(key=9, platform_id="", url="https://vm.tiktok.com/ZMh3kQ7pL/")
    outcomes = TikTokProvider().fetch_posts([*refs(FIRST), short], CREDENTIALS)
    assert isinstance(outcomes[9], Unreadable)
    assert json.loads(route.calls.last.request.content)["filters"]["video_ids"] == [FIRST]


@respx.mock
def test_a_count_of_the_wrong_type_spoils_only_its_post():
    body = recorded("tiktok/video_query.json")
    body["data"]["videos"][0]["view_count"] = "28.4萬"
    respx.post(QUERY).respond(json=body)
    outcomes = fetch(FIRST, SECOND)
    assert isinstance(outcomes[1], Unreadable)
    assert "28.4萬" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@pytest.mark.parametrize("fixture", ["error_access_token_invalid", "error_scope_not_authorized"])
@respx.mock
def test_an_invalid_token_or_missing_scope_needs_a_person(fixture):
    respx.post(QUERY).respond(401, json=recorded(f"tiktok/{fixture}.json"))
    with pytest.raises(AuthExpired) as raised:
        fetch(FIRST)
    assert "log_id 2026112320000" in raised.value.detail


@respx.mock
def test_throttling_comes_back_after_retry_after():
    respx.post(QUERY).respond(
        429, json=recorded("tiktok/error_rate_limit.json"), headers={"Retry-After": "30"}
    )
    with pytest.raises(RateLimited) as raised:
        fetch(FIRST)
    assert raised.value.retry_at == NOW + timedelta(seconds=30)


@respx.mock
def test_throttling_without_retry_after_waits_out_the_one_minute_window():
    respx.post(QUERY).respond(429, json=recorded("tiktok/error_rate_limit.json"))
    with pytest.raises(RateLimited) as raised:
        fetch(FIRST)
    assert raised.value.retry_at == NOW + timedelta(minutes=1)


@respx.mock
def test_an_internal_error_is_temporary():
    respx.post(QUERY).respond(500, json=recorded("tiktok/error_internal.json"))
    with pytest.raises(TemporaryFailure):
        fetch(FIRST)


@respx.mock
def test_an_error_code_in_a_200_envelope_is_still_an_error():
    respx.post(QUERY).respond(200, json=recorded("tiktok/error_internal.json"))
    with pytest.raises(TemporaryFailure):
        fetch(FIRST)


@respx.mock
def test_invalid_params_are_a_plain_provider_error():
    respx.post(QUERY).respond(400, json=recorded("tiktok/error_invalid_params.json"))
    with pytest.raises(ProviderError) as raised:
        fetch(FIRST)
    assert type(raised.value) is ProviderError
    assert "invalid_params" in raised.value.detail


@respx.mock
def test_it_reads_the_creator_figures():
    route = respx.get(USER_INFO).respond(json=recorded("tiktok/user_info.json"))
    listing = respx.post(VIDEO_LIST).respond(json=recorded("tiktok/video_list.json"))
    figures = TikTokProvider().fetch_account(AccountRef(key=1, platform_id=""), CREDENTIALS)
    assert json.loads(listing.calls.last.request.content) == {"max_count": 12}
    assert [(p.platform_id, p.counters["likes"]) for p in figures.recent_posts] == [
        ("7443456789012345678", 2730),
        ("7441234567890123456", 19820),
    ]
    assert (figures.followers, figures.following, figures.posts_count) == (132507, 318, 287)
    assert figures.raw["likes_count"] == 4821034
    request = route.calls.last.request
    assert request.url.params["fields"] == (
        "open_id,avatar_url,follower_count,following_count,likes_count,video_count"
    )
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    # The picture from the same call; each video's share link and (6-hour) cover address.
    assert "/7f3e2d1c0b9a8f7e6d5c4b3a~c5_168x168.jpeg?" in figures.avatar_url
    first, second = figures.recent_posts
    assert first.url == "https://www.tiktok.com/@xiaoan.daily/video/7443456789012345678"
    assert first.cover_url.startswith("https://p16-sign-sg.tiktokcdn.com/obj/tos-alisg-p-0037/")
    assert second.cover_url == ""  # listed without a cover_image_url


@respx.mock
def test_missing_stats_scope_leaves_the_figures_unknown():
    body = recorded("tiktok/user_info.json")
    body["data"]["user"] = {"open_id": body["data"]["user"]["open_id"]}
    respx.get(USER_INFO).respond(json=body)
    # Without the video.list scope either, the figures stand and the baseline stays empty.
    respx.post(VIDEO_LIST).respond(401, json=recorded("tiktok/error_scope_not_authorized.json"))
    figures = TikTokProvider().fetch_account(AccountRef(key=1, platform_id=""), CREDENTIALS)
    assert (figures.followers, figures.following, figures.posts_count) == (None, None, None)
    assert figures.recent_posts == ()
    assert figures.avatar_url == ""


@respx.mock
def test_an_expired_token_on_user_info_needs_a_person():
    respx.get(USER_INFO).respond(401, json=recorded("tiktok/error_access_token_invalid.json"))
    with pytest.raises(AuthExpired):
        TikTokProvider().fetch_account(AccountRef(key=1, platform_id=""), CREDENTIALS)
