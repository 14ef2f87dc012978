"""The Threads provider against recorded Threads API responses, errors included."""

from __future__ import annotations

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
    PostRef,
    ProviderError,
    RateLimited,
    TemporaryFailure,
    Unreadable,
)
from tracking.ingest.providers.threads import ThreadsProvider
from tracking.models import PostStatus

BASE = f"{LOOPBACK}/threads"
TOKEN = "THAA-recorded-test-token"
USER = "26112233445566778"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The posts' author's own connection: only through it is a missing post a deleted one.
CREDENTIALS = Credentials(token=TOKEN, base_url=BASE, account_id=USER, reads_own_posts=True)
# A brand's connection reading a creator's posts: they are not its to list or load.
BRAND = Credentials(token=TOKEN, base_url=BASE, account_id=USER)
THREADS = f"{BASE}/{USER}/threads"
NEWEST, SECOND, OLDEST = "DCw3kP9zq1X", "DCu8Hn2Lm4R", "DCp5Tg7Kx0W"
MEDIA_IDS = {NEWEST: "18067788990011223", SECOND: "18051122334455667", OLDEST: "18042233445566778"}


def refs(*codes: str) -> list[PostRef]:
    return [
        PostRef(
            key=index + 1,
            platform_id=code,
            url=f"https://www.threads.net/@xiaoan.daily/post/{code}",
        )
        for index, code in enumerate(codes)
    ]


def fetch(*codes: str):
    return ThreadsProvider().fetch_posts(refs(*codes), CREDENTIALS)


def insights_route(code: str) -> respx.Route:
    return respx.get(f"{BASE}/{MEDIA_IDS[code]}/insights")


def two_listing_pages() -> respx.Route:
    return respx.get(THREADS).mock(
        side_effect=[
            httpx.Response(200, json=recorded("threads/threads_page1.json")),
            httpx.Response(200, json=recorded("threads/threads_page2.json")),
        ]
    )


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@respx.mock
def test_it_maps_replies_to_comments_and_reposts_plus_quotes_to_shares():
    listing = respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights = insights_route(NEWEST).respond(json=recorded("threads/insights.json"))
    outcome = fetch(NEWEST)[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters == {"views": 12840, "likes": 931, "comments": 74, "shares": 41 + 12}
    assert outcome.published_at == datetime(2026, 11, 22, 14, 2, 10, tzinfo=UTC)
    assert "/468111222_n.jpg" in outcome.thumbnail_url
    assert listing.calls.last.request.url.params["fields"] == (
        "id,shortcode,permalink,timestamp,media_type,media_url,thumbnail_url"
    )
    assert listing.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in listing.calls.last.request.url.params
    metrics = insights.calls.last.request.url.params["metric"].split(",")
    assert metrics == ["views", "likes", "replies", "reposts", "quotes"]


@respx.mock
def test_an_empty_insights_answer_leaves_every_counter_unknown():
    respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights_route(NEWEST).respond(json=recorded("threads/insights_repost_facade.json"))
    outcome = fetch(NEWEST)[1]
    assert isinstance(outcome, Fetched)
    assert set(outcome.counters.values()) == {None}


@respx.mock
def test_shares_are_unknown_when_quotes_are_missing():
    body = recorded("threads/insights.json")
    body["data"] = [entry for entry in body["data"] if entry["name"] != "quotes"]
    respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights_route(NEWEST).respond(json=body)
    outcome = fetch(NEWEST)[1]
    assert isinstance(outcome, Fetched)
    assert outcome.counters["shares"] is None
    assert outcome.counters["likes"] == 931


@respx.mock
def test_it_pages_through_the_listing_and_reads_each_post_once():
    listing = two_listing_pages()
    insights = respx.get(url__regex=rf"{BASE}/\d+/insights").respond(
        json=recorded("threads/insights.json")
    )
    outcomes = fetch(NEWEST, SECOND, OLDEST)
    assert listing.call_count == 2
    assert (
        listing.calls[1].request.url.params["after"]
        == (recorded("threads/threads_page1.json")["paging"]["cursors"]["after"])
    )
    assert listing.calls[1].request.url.host == "127.0.0.1"
    assert insights.call_count == 3
    assert all(isinstance(outcome, Fetched) for outcome in outcomes.values())


@respx.mock
def test_a_post_missing_from_the_whole_listing_is_deleted():
    two_listing_pages()
    outcome = fetch("DAzzzzzzzzz")[1]
    assert isinstance(outcome, Gone)
    assert outcome.status == PostStatus.DELETED


@respx.mock
def test_a_post_gone_before_its_insights_is_deleted_for_that_post_only():
    respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights_route(NEWEST).respond(400, json=recorded("threads/error_object_missing.json"))
    insights_route(SECOND).respond(json=recorded("threads/insights.json"))
    outcomes = fetch(NEWEST, SECOND)
    assert isinstance(outcomes[1], Gone)
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_a_value_of_the_wrong_type_spoils_only_its_post():
    body = recorded("threads/insights.json")
    body["data"][0]["values"][0]["value"] = "1.2萬"
    respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights_route(NEWEST).respond(json=body)
    insights_route(SECOND).respond(json=recorded("threads/insights.json"))
    outcomes = fetch(NEWEST, SECOND)
    assert isinstance(outcomes[1], Unreadable)
    assert "1.2萬" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_a_listing_without_data_stops_the_batch():
    respx.get(THREADS).respond(json={"paging": {}})
    with pytest.raises(ProviderError):
        fetch(NEWEST)


@pytest.mark.parametrize("fixture", ["error_token_expired", "error_session"])
@respx.mock
def test_an_expired_token_or_session_needs_a_person(fixture):
    respx.get(THREADS).respond(400, json=recorded(f"threads/{fixture}.json"))
    with pytest.raises(AuthExpired):
        fetch(NEWEST)


@respx.mock
def test_throttling_honours_retry_after():
    respx.get(THREADS).respond(
        400, json=recorded("threads/error_throttled.json"), headers={"Retry-After": "300"}
    )
    with pytest.raises(RateLimited) as raised:
        fetch(NEWEST)
    assert raised.value.retry_at == NOW + timedelta(seconds=300)


@respx.mock
def test_throttling_on_insights_without_a_hint_waits_an_hour():
    respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights_route(NEWEST).respond(400, json=recorded("threads/error_throttled.json"))
    with pytest.raises(RateLimited) as raised:
        fetch(NEWEST)
    assert raised.value.retry_at == NOW + timedelta(hours=1)


@respx.mock
def test_a_transient_graph_code_is_temporary():
    respx.get(THREADS).respond(400, json=recorded("threads/error_transient.json"))
    with pytest.raises(TemporaryFailure):
        fetch(NEWEST)


@respx.mock
def test_an_invalid_metric_is_a_plain_provider_error():
    respx.get(THREADS).respond(json=recorded("threads/threads_page1.json"))
    insights_route(NEWEST).respond(400, json=recorded("threads/error_invalid_metric.json"))
    with pytest.raises(ProviderError) as raised:
        fetch(NEWEST)
    assert type(raised.value) is ProviderError


@respx.mock
def test_it_reads_the_follower_count_and_the_picture():
    route = respx.get(f"{BASE}/{USER}/threads_insights").respond(
        json=recorded("threads/user_insights.json")
    )
    profile = respx.get(f"{BASE}/{USER}").respond(json=recorded("threads/profile.json"))
    figures = ThreadsProvider().fetch_account(AccountRef(key=1, platform_id=USER), CREDENTIALS)
    assert figures.followers == 24318
    assert (figures.following, figures.posts_count) == (None, None)
    assert route.calls.last.request.url.params["metric"] == "followers_count"
    assert profile.calls.last.request.url.params["fields"] == (
        "id,username,threads_profile_picture_url"
    )
    assert "/460123987_112233445_n.jpg?" in figures.avatar_url


@respx.mock
def test_a_profile_the_token_cannot_load_costs_only_the_picture():
    respx.get(f"{BASE}/{USER}/threads_insights").respond(
        json=recorded("threads/user_insights.json")
    )
    respx.get(f"{BASE}/{USER}").respond(400, json=recorded("threads/error_object_missing.json"))
    figures = ThreadsProvider().fetch_account(AccountRef(key=1, platform_id=USER), CREDENTIALS)
    assert (figures.followers, figures.avatar_url) == (24318, "")


@respx.mock
def test_an_expired_token_on_the_profile_stops_the_refresh():
    respx.get(f"{BASE}/{USER}/threads_insights").respond(
        json=recorded("threads/user_insights.json")
    )
    respx.get(f"{BASE}/{USER}").respond(400, json=recorded("threads/error_token_expired.json"))
    with pytest.raises(AuthExpired):
        ThreadsProvider().fetch_account(AccountRef(key=1, platform_id=USER), CREDENTIALS)


@respx.mock
def test_a_follower_count_of_the_wrong_type_is_an_account_error():
    body = recorded("threads/user_insights.json")
    body["data"][0]["total_value"]["value"] = "2.4萬"
    respx.get(f"{BASE}/{USER}/threads_insights").respond(json=body)
    with pytest.raises(ProviderError) as raised:
        ThreadsProvider().fetch_account(AccountRef(key=1, platform_id=USER), CREDENTIALS)
    assert type(raised.value) is ProviderError


@respx.mock
def test_a_post_missing_from_another_accounts_listing_is_never_deleted():
    two_listing_pages()
    outcome = ThreadsProvider().fetch_posts(refs("DAzzzzzzzzz"), BRAND)[1]
    assert isinstance(outcome, Unreadable) and outcome.code == ErrorCode.NOT_OWN_ACCOUNT
