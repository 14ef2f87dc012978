"""The Facebook Page posts provider against recorded Graph API responses, errors included."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

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
    PostRef,
    ProviderError,
    RateLimited,
    TemporaryFailure,
    Unreadable,
)
from tracking.ingest.providers.facebook import FacebookProvider, graph_post_id
from tracking.models import PostStatus

BASE = f"{LOOPBACK}/facebook"
TOKEN = "EAAPageToken-recorded-test"
PAGE = "104567890123456"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The posts' author's own connection: only through it is a missing post a deleted one.
CREDENTIALS = Credentials(token=TOKEN, base_url=BASE, account_id=PAGE, reads_own_posts=True)
# A brand's connection reading a creator's posts: they are not its to list or load.
BRAND = Credentials(token=TOKEN, base_url=BASE, account_id=PAGE)
FIRST, SECOND, VIDEO = "872345678901234", "872345678905678", "990011223344556"


def ref(key: int, post_id: str, url: str = "") -> PostRef:
    url = url or f"https://www.facebook.com/xiaoan.daily/posts/{post_id}"
    return PostRef(key=key, platform_id=post_id, url=url)


def post_routes(post_id: str, post: str, insights: str) -> tuple[respx.Route, respx.Route]:
    graph_id = f"{PAGE}_{post_id}"
    return (
        respx.get(f"{BASE}/{graph_id}").respond(json=recorded(f"facebook/{post}.json")),
        respx.get(f"{BASE}/{graph_id}/insights").respond(
            json=recorded(f"facebook/{insights}.json")
        ),
    )


def fetch(*posts: PostRef):
    return FacebookProvider().fetch_posts(list(posts), CREDENTIALS)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@respx.mock
def test_it_reads_public_counts_and_reach_of_a_post():
    post, insights = post_routes(FIRST, "post", "insights")
    outcome = fetch(ref(1, FIRST))[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters == {
        "likes": 1284,
        "comments": 96,
        "shares": 38,
        "reach": 15234,
        "views": None,  # a photo or text post asks no video views: unknown, not 0
    }
    assert outcome.published_at == datetime(2026, 11, 20, 10, 15, 32, tzinfo=UTC)
    assert outcome.thumbnail_url.startswith("https://scontent.ftpe7-1.fna.fbcdn.net/")
    assert post.calls.last.request.url.params["fields"] == (
        "id,created_time,shares,full_picture,"
        "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
    )
    assert post.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in post.calls.last.request.url.params
    metric = insights.calls.last.request.url.params["metric"]
    assert metric == "post_total_media_view_unique"
    assert "impressions" not in metric


@respx.mock
def test_a_post_nobody_shared_has_unknown_shares_not_zero():
    post_routes(SECOND, "post_not_shared", "insights_empty")
    outcome = fetch(ref(1, SECOND))[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters["shares"] is None
    assert outcome.counters["reach"] is None
    assert outcome.counters["likes"] == 212


@respx.mock
def test_a_video_post_also_reads_video_views():
    _post, insights = post_routes(VIDEO, "post", "insights_video")
    url = f"https://www.facebook.com/xiaoan.daily/videos/{VIDEO}"
    outcome = fetch(ref(1, VIDEO, url))[1]
    assert isinstance(outcome, Fetched)
    assert (outcome.counters["views"], outcome.counters["reach"]) == (52877, 40210)
    metrics = insights.calls.last.request.url.params["metric"].split(",")
    assert metrics == ["post_total_media_view_unique", "post_video_views"]


@respx.mock
def test_it_makes_two_calls_per_post():
    routes = [
        *post_routes(FIRST, "post", "insights"),
        *post_routes(SECOND, "post_not_shared", "insights"),
        *post_routes(VIDEO, "post", "insights"),
    ]
    outcomes = fetch(ref(1, FIRST), ref(2, SECOND), ref(3, VIDEO))
    assert [route.call_count for route in routes] == [1, 1, 1, 1, 1, 1]
    assert respx.calls.call_count == 6
    assert all(isinstance(outcome, Fetched) for outcome in outcomes.values())


def test_the_graph_id_joins_the_page_and_the_post_number():
    assert graph_post_id(ref(1, FIRST), PAGE) == f"{PAGE}_{FIRST}"
    owner = f"https://www.facebook.com/permalink.php?story_fbid={FIRST}&id=100064123456789"
    assert graph_post_id(ref(1, FIRST, owner), PAGE) == f"100064123456789_{FIRST}"
    numeric_page = f"https://www.facebook.com/100064123456789/posts/{FIRST}"
    assert graph_post_id(ref(1, FIRST, numeric_page), PAGE) == f"100064123456789_{FIRST}"
    assert graph_post_id(ref(1, f"{PAGE}_{FIRST}"), "") == f"{PAGE}_{FIRST}"
    assert graph_post_id(ref(1, "pfbid02Xk7rT9vYcQmLpA3wZ"), PAGE) is None
    assert graph_post_id(ref(1, FIRST), "") is None


@respx.mock
def test_links_without_a_post_number_are_unreadable_without_a_call():
    outcomes = fetch(
        ref(1, "pfbid02Xk7rT9vYcQmLpA3wZ"),
        ref(2, "", "https://www.facebook.com/share/p/1AbCdEfGh2/"),
    )
    assert isinstance(outcomes[1], Unreadable)
    assert isinstance(outcomes[2], Unreadable)
    assert respx.calls.call_count == 0


@respx.mock
def test_a_deleted_post_is_gone_and_the_others_are_read():
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(
        400, json=recorded("facebook/error_object_missing.json")
    )
    post_routes(SECOND, "post_not_shared", "insights")
    outcomes = fetch(ref(1, FIRST), ref(2, SECOND))
    assert isinstance(outcomes[1], Gone)
    assert outcomes[1].status == PostStatus.DELETED
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_insights_refused_for_the_page_keep_the_public_counts():
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(json=recorded("facebook/post.json"))
    respx.get(f"{BASE}/{PAGE}_{FIRST}/insights").respond(
        400, json=recorded("facebook/error_insights_permission.json")
    )
    outcome = fetch(ref(1, FIRST))[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters == {"likes": 1284, "comments": 96, "shares": 38}


@respx.mock
def test_a_count_of_the_wrong_type_spoils_only_its_post():
    body = recorded("facebook/post.json")
    body["reactions"]["summary"]["total_count"] = "1.2K"
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(json=body)
    post_routes(SECOND, "post_not_shared", "insights")
    outcomes = fetch(ref(1, FIRST), ref(2, SECOND))
    assert isinstance(outcomes[1], Unreadable)
    assert "1.2K" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_an_insight_of_the_wrong_type_spoils_only_its_post():
    insights = recorded("facebook/insights.json")
    insights["data"][0]["values"] = ["15234"]
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(json=recorded("facebook/post.json"))
    respx.get(f"{BASE}/{PAGE}_{FIRST}/insights").respond(json=insights)
    outcome = fetch(ref(1, FIRST))[1]
    assert isinstance(outcome, Unreadable)


@pytest.mark.parametrize("fixture", ["error_token_expired", "error_session"])
@respx.mock
def test_an_expired_token_or_session_needs_a_person(fixture):
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(400, json=recorded(f"facebook/{fixture}.json"))
    with pytest.raises(AuthExpired):
        fetch(ref(1, FIRST))


@respx.mock
def test_page_throttling_waits_the_business_use_case_estimate():
    usage = {PAGE: [{"type": "pages", "call_count": 100, "total_cputime": 9, "total_time": 22,
                     "estimated_time_to_regain_access": 42}]}  # fmt: skip
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(
        400,
        json=recorded("facebook/error_page_throttled.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimited) as raised:
        fetch(ref(1, FIRST))
    assert raised.value.retry_at == NOW + timedelta(minutes=42)


@respx.mock
def test_throttling_with_a_zero_estimate_waits_an_hour():
    usage = {PAGE: [{"type": "pages", "call_count": 96, "estimated_time_to_regain_access": 0}]}
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(
        400,
        json=recorded("facebook/error_throttled.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimited) as raised:
        fetch(ref(1, FIRST))
    assert raised.value.retry_at == NOW + timedelta(hours=1)


@respx.mock
def test_a_transient_graph_code_is_temporary():
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(500, json=recorded("facebook/error_transient.json"))
    with pytest.raises(TemporaryFailure):
        fetch(ref(1, FIRST))


@respx.mock
def test_an_invalid_metric_is_a_plain_provider_error():
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(json=recorded("facebook/post.json"))
    respx.get(f"{BASE}/{PAGE}_{FIRST}/insights").respond(
        400, json=recorded("facebook/error_invalid_metric.json")
    )
    with pytest.raises(ProviderError) as raised:
        fetch(ref(1, FIRST))
    assert type(raised.value) is ProviderError


@respx.mock
def test_it_reads_the_page_followers():
    route = respx.get(f"{BASE}/{PAGE}").respond(json=recorded("facebook/page.json"))
    figures = FacebookProvider().fetch_account(AccountRef(key=1, platform_id=PAGE), CREDENTIALS)
    assert figures.followers == 48210
    assert figures.following is None
    assert route.calls.last.request.url.params["fields"] == (
        "followers_count,fan_count,picture.type(large),posts.limit(12){id,created_time,shares,"
        "full_picture,reactions.summary(total_count).limit(0),"
        "comments.summary(total_count).limit(0),permalink_url}"
    )
    # The Page's own latest posts, by the number a post URL gives; an unreadable one is
    # left out (its shares are not a count), not the whole account.
    assert [(p.platform_id, p.counters) for p in figures.recent_posts] == [
        ("872345678901234", {"likes": 1284, "comments": 96, "shares": 38}),
        ("871234567890123", {"likes": 812, "comments": 41, "shares": None}),
    ]
    # The Page's picture from the same call; each post's permalink and full_picture.
    assert "/452345678_889900112_n.jpg?" in figures.avatar_url
    first, second = figures.recent_posts
    assert first.url == "https://www.facebook.com/104567890123456/posts/872345678901234"
    assert "/468812345_1023456789_n.jpg?" in first.cover_url
    assert second.cover_url == ""  # a post without a picture


@respx.mock
def test_a_page_showing_the_grey_silhouette_has_no_picture():
    body = recorded("facebook/page.json")
    body["picture"]["data"]["is_silhouette"] = True
    respx.get(f"{BASE}/{PAGE}").respond(json=body)
    figures = FacebookProvider().fetch_account(AccountRef(key=1, platform_id=PAGE), CREDENTIALS)
    assert figures.avatar_url == ""


@respx.mock
def test_a_page_without_a_follower_count_has_unknown_followers():
    respx.get(f"{BASE}/{PAGE}").respond(json={"id": PAGE})
    figures = FacebookProvider().fetch_account(AccountRef(key=1, platform_id=PAGE), CREDENTIALS)
    assert figures.followers is None


@respx.mock
def test_a_post_a_brand_page_cannot_load_is_not_a_deletion():
    # 100/33 says "does not exist, or cannot be loaded due to missing permissions".
    respx.get(f"{BASE}/{PAGE}_{FIRST}").respond(
        400, json=recorded("facebook/error_object_missing.json")
    )
    outcome = FacebookProvider().fetch_posts([ref(1, FIRST)], BRAND)[1]
    assert isinstance(outcome, Unreadable) and outcome.code == ErrorCode.NOT_OWN_ACCOUNT
