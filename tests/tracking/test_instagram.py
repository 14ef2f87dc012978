"""The Instagram provider against recorded Graph API responses, errors included."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
import time_machine

from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.providers.base import (
    AccountRef,
    AuthExpired,
    Credentials,
    ErrorCode,
    Fetched,
    Gone,
    NotConfigured,
    PostRef,
    ProviderError,
    RateLimited,
    TemporaryFailure,
    Unreadable,
)
from tracking.ingest.providers.graph import MAX_LISTING_PAGES
from tracking.ingest.providers.instagram import InstagramProvider
from tracking.models import PostStatus

BASE = f"{LOOPBACK}/instagram"
TOKEN = "EAAGm0PX4ZCpsBA-recorded-test-token"
USER = "17841405822304914"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The posts' author's own connection: only through it is a missing post a deleted one.
CREDENTIALS = Credentials(token=TOKEN, base_url=BASE, account_id=USER, reads_own_posts=True)
# A brand's connection reading a creator's posts: they are not its to list or load.
BRAND = Credentials(token=TOKEN, base_url=BASE, account_id=USER)
MEDIA = f"{BASE}/{USER}/media"
REEL, FEED, OLDER = "DCx7kQmPa1Z", "DCv2Lr8ytQe", "DCt9Wm3xRkA"  # page 1, newest first
PAGE_TWO = ("DCqR4nB2sYw", "DCm1Hj7vLpU")
MEDIA_IDS = {
    REEL: "18045678901234567",
    FEED: "17998877665544332",
    OLDER: "18011223344556677",
    PAGE_TWO[0]: "17933445566778899",
    PAGE_TWO[1]: "18055667788990011",
}
REMOVED_METRICS = {"impressions", "plays", "video_views", "clips_replays_count", "engagement"}


def refs(*codes: str, published_at: datetime | None = None) -> list[PostRef]:
    return [
        PostRef(
            key=index + 1,
            platform_id=code,
            url=f"https://www.instagram.com/p/{code}/",
            published_at=published_at,
        )
        for index, code in enumerate(codes)
    ]


def fetch(*codes: str, published_at: datetime | None = None):
    return InstagramProvider().fetch_posts(refs(*codes, published_at=published_at), CREDENTIALS)


def insights_route(code: str) -> respx.Route:
    return respx.get(f"{BASE}/{MEDIA_IDS[code]}/insights")


def two_listing_pages() -> respx.Route:
    return respx.get(MEDIA).mock(
        side_effect=[
            httpx.Response(200, json=recorded("instagram/media_page1.json")),
            httpx.Response(200, json=recorded("instagram/media_page2.json")),
        ]
    )


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@respx.mock
def test_it_reads_insights_and_public_counts_of_a_batch():
    listing = respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    reel = insights_route(REEL).respond(json=recorded("instagram/insights_reel.json"))
    insights_route(FEED).respond(json=recorded("instagram/insights_feed_without_saved.json"))
    outcomes = fetch(REEL, FEED)
    assert listing.call_count == 1
    params = listing.calls.last.request.url.params
    assert params["fields"] == (
        "id,shortcode,permalink,timestamp,like_count,comments_count,media_product_type,"
        "media_type,media_url,thumbnail_url"
    )
    assert listing.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in params
    first = outcomes[1]
    assert isinstance(first, Fetched)
    assert first.counters == {
        "views": 58213,
        "reach": 41877,
        "likes": 3120,
        "comments": 245,
        "shares": 367,
        "saves": 812,
    }
    assert first.published_at == datetime(2026, 11, 21, 11, 30, tzinfo=UTC)
    assert first.raw["media"]["id"] == MEDIA_IDS[REEL]
    # A reel's cover is its thumbnail_url; an image's is the image itself.
    assert first.thumbnail_url.startswith(
        "https://scontent-tpe1-1.cdninstagram.com/v/t51.29350-15/468512345_n.jpg"
    )
    assert outcomes[2].thumbnail_url.startswith(
        "https://scontent-tpe1-1.cdninstagram.com/v/t51.29350-15/467700001_n.jpg"
    )
    metrics = set(reel.calls.last.request.url.params["metric"].split(","))
    # A reel also says how long it was watched (in ms): 104,515,000 ms is 1,742 minutes.
    assert metrics == {"views", "reach", "saved", "shares", "ig_reels_video_view_total_time"}
    assert not metrics & REMOVED_METRICS
    assert first.watch_minutes == 1742
    assert outcomes[2].watch_minutes is None  # an image has no watch time


@respx.mock
def test_a_metric_left_out_of_the_answer_is_unknown_not_zero():
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(FEED).respond(json=recorded("instagram/insights_feed_without_saved.json"))
    second = fetch(FEED)[1]
    assert isinstance(second, Fetched)
    assert second.counters["saves"] is None
    assert second.counters["views"] == 21450


@respx.mock
def test_empty_insights_data_leaves_every_insight_unknown():
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(FEED).respond(json=recorded("instagram/insights_empty.json"))
    outcome = fetch(FEED)[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters == {
        "views": None,
        "reach": None,
        "likes": 1408,
        "comments": 96,
        "shares": None,
        "saves": None,
    }


@respx.mock
def test_it_follows_the_after_cursor_on_its_own_base_url_and_calls_once_per_post():
    listing = two_listing_pages()
    insights = respx.get(url__regex=rf"{BASE}/\d+/insights").respond(
        json=recorded("instagram/insights_empty.json")
    )
    outcomes = fetch(REEL, FEED, *PAGE_TWO)
    assert listing.call_count == 2
    assert insights.call_count == 4
    second_page = listing.calls[1].request.url
    assert second_page.host == "127.0.0.1"
    assert (
        second_page.params["after"]
        == recorded("instagram/media_page1.json")["paging"]["cursors"]["after"]
    )
    assert all(isinstance(outcome, Fetched) for outcome in outcomes.values())
    assert len(outcomes) == 4


@respx.mock
def test_a_shortcode_missing_from_a_complete_listing_is_deleted():
    listing = two_listing_pages()
    insights_route(REEL).respond(json=recorded("instagram/insights_reel.json"))
    outcomes = fetch(REEL, "DAaaaaaaaaa")
    assert listing.call_count == 2
    assert isinstance(outcomes[1], Fetched)
    assert isinstance(outcomes[2], Gone)
    assert outcomes[2].status == PostStatus.DELETED


@respx.mock
def test_the_listing_stops_once_it_reaches_back_past_the_oldest_wanted_post():
    listing = two_listing_pages()
    # Published Nov 20: page one already reaches back to Nov 15, past the two days' slack.
    outcome = fetch("DAaaaaaaaaa", published_at=datetime(2026, 11, 20, tzinfo=UTC))[1]
    assert listing.call_count == 1
    assert isinstance(outcome, Gone)


@respx.mock
def test_a_listing_cut_short_by_the_page_bound_says_unreadable_not_deleted():
    listing = respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    outcome = fetch("DAaaaaaaaaa")[1]
    assert listing.call_count == MAX_LISTING_PAGES
    assert isinstance(outcome, Unreadable)


@respx.mock
def test_media_gone_between_listing_and_insights_is_deleted_for_that_post_only():
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(REEL).respond(400, json=recorded("instagram/error_object_missing.json"))
    insights_route(FEED).respond(json=recorded("instagram/insights_feed_without_saved.json"))
    outcomes = fetch(REEL, FEED)
    assert isinstance(outcomes[1], Gone)
    assert outcomes[1].status == PostStatus.DELETED
    assert "100/33" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_not_enough_viewers_keeps_the_public_counts():
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(FEED).respond(400, json=recorded("instagram/error_not_enough_viewers.json"))
    outcome = fetch(FEED)[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters == {"likes": 1408, "comments": 96}
    assert "Not enough viewers" in outcome.raw["insights_error"]


@respx.mock
def test_a_count_of_the_wrong_type_spoils_only_its_post():
    page = recorded("instagram/media_page1.json")
    page["data"][0]["like_count"] = "3.1萬"
    respx.get(MEDIA).respond(json=page)
    insights_route(REEL).respond(json=recorded("instagram/insights_reel.json"))
    insights_route(FEED).respond(json=recorded("instagram/insights_feed_without_saved.json"))
    outcomes = fetch(REEL, FEED)
    assert isinstance(outcomes[1], Unreadable)
    assert "3.1萬" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_an_insight_value_of_the_wrong_type_spoils_only_its_post():
    body = recorded("instagram/insights_reel.json")
    body["data"][1]["values"][0]["value"] = {"organic": 40000}
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(REEL).respond(json=body)
    insights_route(FEED).respond(json=recorded("instagram/insights_feed_without_saved.json"))
    outcomes = fetch(REEL, FEED)
    assert isinstance(outcomes[1], Unreadable)
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_a_story_link_is_unreadable_without_a_call():
    listing = respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    story = PostRef(
        key=1,
        platform_id="3489012345678901234",
        url="https://www.instagram.com/stories/xiaoan.daily/3489012345678901234/",
    )
    outcomes = InstagramProvider().fetch_posts([story], CREDENTIALS)
    assert isinstance(outcomes[1], Unreadable)
    assert listing.call_count == 0


def test_a_connection_without_an_account_id_is_not_configured():
    with pytest.raises(NotConfigured):
        InstagramProvider().fetch_posts(refs(REEL), Credentials(token=TOKEN, base_url=BASE))


@pytest.mark.parametrize("fixture", ["error_token_expired", "error_session"])
@respx.mock
def test_an_expired_token_or_session_needs_a_person(fixture):
    respx.get(MEDIA).respond(400, json=recorded(f"instagram/{fixture}.json"))
    with pytest.raises(AuthExpired):
        fetch(REEL)


@respx.mock
def test_an_expired_token_on_insights_stops_the_batch():
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(REEL).respond(400, json=recorded("instagram/error_token_expired.json"))
    with pytest.raises(AuthExpired) as raised:
        fetch(REEL)
    assert "190/463" in raised.value.detail


@respx.mock
def test_business_use_case_throttling_waits_the_estimated_minutes():
    usage = {USER: [{"type": "instagram", "call_count": 100, "total_cputime": 12,
                     "total_time": 31, "estimated_time_to_regain_access": 17}]}  # fmt: skip
    respx.get(MEDIA).respond(
        400,
        json=recorded("instagram/error_buc_throttled.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage), "Retry-After": "60"},
    )
    with pytest.raises(RateLimited) as raised:
        fetch(REEL)
    assert raised.value.retry_at == NOW + timedelta(minutes=17)


@respx.mock
def test_throttling_without_an_estimate_honours_retry_after():
    respx.get(MEDIA).respond(
        400, json=recorded("instagram/error_throttled.json"), headers={"Retry-After": "120"}
    )
    with pytest.raises(RateLimited) as raised:
        fetch(REEL)
    assert raised.value.retry_at == NOW + timedelta(seconds=120)


@respx.mock
def test_throttling_without_any_hint_waits_an_hour():
    respx.get(MEDIA).respond(400, json=recorded("instagram/error_throttled.json"))
    with pytest.raises(RateLimited) as raised:
        fetch(REEL)
    assert raised.value.retry_at == NOW + timedelta(hours=1)


@respx.mock
def test_a_transient_graph_code_is_temporary():
    respx.get(MEDIA).respond(400, json=recorded("instagram/error_transient.json"))
    with pytest.raises(TemporaryFailure):
        fetch(REEL)


@respx.mock
def test_an_invalid_metric_is_a_plain_provider_error():
    respx.get(MEDIA).respond(json=recorded("instagram/media_page1.json"))
    insights_route(REEL).respond(400, json=recorded("instagram/error_invalid_metric.json"))
    with pytest.raises(ProviderError) as raised:
        fetch(REEL)
    assert type(raised.value) is ProviderError


def demographics_routes() -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        breakdown = request.url.params["breakdown"]
        return httpx.Response(200, json=recorded(f"instagram/demographics_{breakdown}.json"))

    return respx.get(f"{BASE}/{USER}/insights").mock(side_effect=answer)


@respx.mock
def test_it_reads_followers_and_the_audience_as_shares():
    profile = respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/profile.json"))
    demographics = demographics_routes()
    figures = InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id=USER, by_owner=True), CREDENTIALS
    )
    assert (figures.followers, figures.following, figures.posts_count) == (86420, 512, 734)
    assert profile.call_count == 1
    assert demographics.call_count == 4
    params = demographics.calls.last.request.url.params
    assert params["metric"] == "follower_demographics"
    assert params["period"] == "lifetime"
    assert params["metric_type"] == "total_value"
    assert set(figures.audience) == {"age", "gender", "countries", "cities"}
    for shares in figures.audience.values():
        assert sum(shares.values()) == pytest.approx(1.0)
    assert figures.audience["gender"]["F"] == pytest.approx(61200 / 86000)
    assert figures.audience["countries"]["TW"] == pytest.approx(70200 / 86000)
    assert figures.audience["cities"]["Taipei, Taiwan"] == pytest.approx(24100 / 56300)


@respx.mock
def test_a_withheld_breakdown_is_left_out_and_followers_still_count():
    respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/profile.json"))
    respx.get(f"{BASE}/{USER}/insights").respond(
        400, json=recorded("instagram/error_not_enough_viewers.json")
    )
    figures = InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id=USER, by_owner=True), CREDENTIALS
    )
    assert figures.followers == 86420
    assert figures.audience == {}


@respx.mock
def test_throttling_on_demographics_stops_the_refresh():
    respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/profile.json"))
    respx.get(f"{BASE}/{USER}/insights").respond(
        400, json=recorded("instagram/error_throttled.json")
    )
    with pytest.raises(RateLimited):
        InstagramProvider().fetch_account(
            AccountRef(key=1, platform_id=USER, by_owner=True), CREDENTIALS
        )


@respx.mock
def test_a_follower_count_of_the_wrong_type_is_an_account_error():
    profile = recorded("instagram/profile.json")
    profile["followers_count"] = "8.6萬"
    respx.get(f"{BASE}/{USER}").respond(json=profile)
    demographics_routes()
    with pytest.raises(ProviderError) as raised:
        InstagramProvider().fetch_account(
            AccountRef(key=1, platform_id=USER, by_owner=True), CREDENTIALS
        )
    assert type(raised.value) is ProviderError


@respx.mock
def test_another_creators_public_counts_come_from_business_discovery():
    route = respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/business_discovery.json"))
    figures = InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id="", handle="@bluebottle"), CREDENTIALS
    )
    assert (figures.followers, figures.following, figures.posts_count) == (267793, 512, 1205)
    assert figures.audience == {}  # demographics need the creator's own token
    fields = route.calls.last.request.url.params["fields"]
    assert fields == (
        "business_discovery.username(bluebottle){followers_count,follows_count,media_count,"
        "profile_picture_url,media.limit(12){id,shortcode,permalink,timestamp,like_count,"
        "comments_count,media_type,media_url,thumbnail_url}}"
    )
    # The latest posts come in the same call, by shortcode; one without a shortcode is left out.
    assert [(p.platform_id, p.counters) for p in figures.recent_posts] == [
        ("DCy1aB2cD3e", {"likes": 5210, "comments": 133}),
        ("DCw9zY8xW7v", {"likes": 4877, "comments": 102}),
    ]
    assert figures.recent_posts[0].published_at == datetime(2026, 11, 22, 9, tzinfo=UTC)


@respx.mock
def test_business_discovery_gives_the_picture_and_each_posts_link_and_cover():
    respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/business_discovery.json"))
    figures = InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id="", handle="bluebottle"), CREDENTIALS
    )
    assert figures.avatar_url.startswith(
        "https://scontent-tpe1-1.cdninstagram.com/v/t51.2885-19/441234567_987654321_n.jpg?"
    )
    image, reel = figures.recent_posts
    assert image.url == "https://www.instagram.com/p/DCy1aB2cD3e/"
    assert "/468123456_1122334455_n.jpg?" in image.cover_url  # an image is its own cover
    assert reel.url == "https://www.instagram.com/reel/DCw9zY8xW7v/"
    assert "/467998877_2233445566_n.jpg?" in reel.cover_url  # a video's thumbnail_url


@respx.mock
def test_the_own_profile_gives_the_picture_in_the_same_call():
    profile = respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/profile.json"))
    demographics_routes()
    figures = InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id=USER, by_owner=True), CREDENTIALS
    )
    assert "profile_picture_url" in profile.calls.last.request.url.params["fields"]
    assert "/450011223_556677889_n.jpg?" in figures.avatar_url


@respx.mock
def test_a_picture_that_is_not_an_https_address_is_not_kept():
    found = recorded("instagram/business_discovery.json")
    found["business_discovery"]["profile_picture_url"] = "http://10.0.0.1/me.jpg"
    respx.get(f"{BASE}/{USER}").respond(json=found)
    figures = InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id="", handle="bluebottle"), CREDENTIALS
    )
    assert figures.avatar_url == ""


@respx.mock
def test_an_account_business_discovery_cannot_see_is_an_error_for_that_account_only():
    respx.get(f"{BASE}/{USER}").respond(json={"id": USER})
    with pytest.raises(ProviderError) as raised:
        InstagramProvider().fetch_account(
            AccountRef(key=1, platform_id="", handle="private.me"), CREDENTIALS
        )
    assert type(raised.value) is ProviderError


@respx.mock
def test_a_brand_account_never_looks_for_a_creators_post_in_its_own_media():
    # The case behind the false take-down alert: the brand's account lists its own media, and
    # a creator's media is not its token's to load. It reads the creator's public posts instead
    # (tests/tracking/test_instagram_public.py).
    listing = two_listing_pages()
    insights = insights_route(REEL).respond(
        400, json=recorded("instagram/error_object_missing.json")
    )
    respx.get(f"{BASE}/{USER}").respond(json=recorded("instagram/discovery_media_page1.json"))
    posts = [
        PostRef(key=1, platform_id=REEL, author_handle="mei.eats"),
        PostRef(key=2, platform_id="DAaaaaaaaaa", author_handle="mei.eats"),
    ]
    outcomes = InstagramProvider().fetch_posts(posts, BRAND)
    assert listing.call_count == 0 and insights.call_count == 0
    assert not any(isinstance(outcome, Gone) for outcome in outcomes.values())
    assert {outcome.code for outcome in outcomes.values()} == {ErrorCode.NOT_PUBLICLY_LISTED}
