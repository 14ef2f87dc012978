"""Instagram's public door: a creator's posts read through a brand's connection by business
discovery (recorded Graph answers at the HTTP boundary)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx
import time_machine

from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.providers import instagram_public
from tracking.ingest.providers.base import (
    AuthExpired,
    Credentials,
    ErrorCode,
    Fetched,
    Gone,
    PostRef,
    ProviderError,
    RateLimited,
    Unreadable,
)
from tracking.ingest.providers.instagram import InstagramProvider

BASE = f"{LOOPBACK}/instagram"
TOKEN = "EAAGm0PX4ZCpsBA-recorded-test-token"
BRAND_USER = "17841405309211844"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# A brand's connection: the creators' posts are not its own.
BRAND = Credentials(token=TOKEN, base_url=BASE, account_id=BRAND_USER)
DISCOVERY = f"{BASE}/{BRAND_USER}"
NEWEST, FEED, CAROUSEL = "DCy1aB2cD3e", "DCw9zY8xW7v", "DCu3Kp5mN1q"  # page 1, newest first
PAGE_TWO = ("DCp8Tg2hJ4s", "DCk2Wf6bV9r")
FIELDS = "id,shortcode,permalink,timestamp,like_count,comments_count,media_product_type,media_type,media_url"  # noqa: E501


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def ref(key: int, code: str, handle: str = "mei.eats", **extra) -> PostRef:
    return PostRef(
        key=key,
        platform_id=code,
        url=f"https://www.instagram.com/p/{code}/",
        author_handle=handle,
        **extra,
    )


def fetch(*refs: PostRef):
    return InstagramProvider().fetch_posts(list(refs), BRAND)


def asked_handle(request: httpx.Request) -> str:
    fields = request.url.params["fields"]
    return fields[len("business_discovery.username(") : fields.index(")")]


def by_handle(answers: dict[str, list[httpx.Response]]):
    """Answer each discovery call from the queue of the handle it asks about."""

    def answer(request: httpx.Request) -> httpx.Response:
        return answers[asked_handle(request)].pop(0)

    return answer


def page(name: str, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=recorded(f"instagram/{name}.json"))


@respx.mock
def test_a_creators_post_is_read_by_its_public_counts_through_the_brand_account():
    discovery = respx.get(DISCOVERY).mock(return_value=page("discovery_media_page1"))
    outcome = fetch(ref(1, FEED))[1]
    assert isinstance(outcome, Fetched)
    # Public counts only: views, reach and saves are left unknown, never 0.
    assert outcome.counters == {"likes": 4877, "comments": 102}
    assert outcome.published_at == datetime(2026, 11, 20, 12, 30, tzinfo=UTC)
    assert outcome.thumbnail_url.startswith(
        "https://scontent-tpe1-1.cdninstagram.com/v/t51.29350-15/469001122_n.jpg"
    )
    assert outcome.raw["business_discovery"]["media"]["id"] == "17923456789012345"
    request = discovery.calls.last.request
    assert request.url.params["fields"] == (
        f"business_discovery.username(mei.eats){{media.limit(50){{{FIELDS}}}}}"
    )
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in request.url.params
    # No call for insights or for the brand's own media list: neither holds the post.
    assert respx.calls.call_count == 1


@respx.mock
def test_one_listing_serves_all_of_a_creators_posts():
    discovery = respx.get(DISCOVERY).mock(
        side_effect=by_handle(
            {
                "mei.eats": [page("discovery_media_page1")],
                "anan.daily": [page("discovery_media_page1")],
            }
        )
    )
    outcomes = fetch(
        ref(1, NEWEST), ref(2, FEED), ref(3, CAROUSEL, handle="@Anan.Daily"), ref(4, CAROUSEL)
    )
    assert discovery.call_count == 2
    assert sorted(asked_handle(call.request) for call in discovery.calls) == [
        "anan.daily",
        "mei.eats",
    ]
    assert all(isinstance(outcome, Fetched) for outcome in outcomes.values())
    assert outcomes[3].counters == {"likes": 3999, "comments": 87}


@respx.mock
def test_it_pages_with_the_after_cursor_inside_the_field_expansion(monkeypatch):
    # The recorded first page stands for a full one (50 posts in life): there is more.
    monkeypatch.setattr(instagram_public, "PAGE_SIZE", 3)
    discovery = respx.get(DISCOVERY).mock(
        side_effect=[page("discovery_media_page1"), page("discovery_media_page2")]
    )
    outcome = fetch(ref(1, PAGE_TWO[1]))[1]
    assert isinstance(outcome, Fetched) and outcome.counters == {"likes": 6120, "comments": 211}
    assert discovery.call_count == 2
    cursor = recorded("instagram/discovery_media_page1.json")["business_discovery"]["media"][
        "paging"
    ]["cursors"]["after"]
    second = discovery.calls[1].request.url
    assert second.host == "127.0.0.1"
    assert second.params["fields"] == (
        f"business_discovery.username(mei.eats){{media.limit(3).after({cursor}){{{FIELDS}}}}}"
    )
    assert "after" not in second.params


@respx.mock
def test_a_next_url_says_there_is_more_whatever_the_page_size():
    first = recorded("instagram/discovery_media_page1.json")
    media = first["business_discovery"]["media"]
    media["paging"]["next"] = f"{DISCOVERY}?fields=business_discovery&after=x&access_token={TOKEN}"
    discovery = respx.get(DISCOVERY).mock(
        side_effect=[httpx.Response(200, json=first), page("discovery_media_page2")]
    )
    outcomes = fetch(ref(1, PAGE_TWO[0]))
    assert discovery.call_count == 2 and isinstance(outcomes[1], Fetched)
    assert TOKEN not in repr(outcomes)


@respx.mock
def test_a_post_missing_from_the_creators_public_posts_is_not_shown_never_deleted():
    # The short first page is the whole list: the post is not there.
    respx.get(DISCOVERY).mock(return_value=page("discovery_media_page1"))
    outcome = fetch(ref(1, "DAaaaaaaaaa"))[1]
    assert isinstance(outcome, Unreadable) and not isinstance(outcome, Gone)
    assert outcome.code == ErrorCode.NOT_PUBLICLY_LISTED


@respx.mock
def test_a_listing_cut_short_by_the_page_bound_says_not_listed(monkeypatch):
    monkeypatch.setattr(instagram_public, "PAGE_SIZE", 3)
    discovery = respx.get(DISCOVERY).mock(return_value=page("discovery_media_page1"))
    outcome = fetch(ref(1, "DAaaaaaaaaa"))[1]
    assert discovery.call_count == instagram_public.MAX_PAGES
    assert isinstance(outcome, Unreadable) and outcome.code == ErrorCode.NOT_LISTED


@respx.mock
def test_the_listing_stops_once_it_reaches_back_past_the_oldest_wanted_post(monkeypatch):
    monkeypatch.setattr(instagram_public, "PAGE_SIZE", 3)
    discovery = respx.get(DISCOVERY).mock(return_value=page("discovery_media_page1"))
    # Published Nov 21: page one already reaches back to Nov 18, past the two days' slack.
    outcome = fetch(ref(1, "DAaaaaaaaaa", published_at=datetime(2026, 11, 21, tzinfo=UTC)))[1]
    assert discovery.call_count == 1
    assert isinstance(outcome, Unreadable) and outcome.code == ErrorCode.NOT_PUBLICLY_LISTED


@respx.mock
def test_a_personal_account_is_not_discoverable_and_spoils_only_its_own_posts():
    respx.get(DISCOVERY).mock(
        side_effect=by_handle(
            {
                "mei.personal": [page("error_discovery_unknown_user", 400)],
                "mei.eats": [page("discovery_media_page1")],
            }
        )
    )
    outcomes = fetch(
        ref(1, "DBbbbbbbbbb", handle="mei.personal"),
        ref(2, "DBccccccccc", handle="mei.personal"),
        ref(3, FEED),
    )
    for key in (1, 2):
        assert isinstance(outcomes[key], Unreadable)
        assert outcomes[key].code == ErrorCode.NOT_DISCOVERABLE
        assert "110/2207013" in outcomes[key].detail
    assert isinstance(outcomes[3], Fetched)


@respx.mock
def test_an_age_gated_account_answers_nothing_and_is_not_discoverable():
    respx.get(DISCOVERY).mock(return_value=page("discovery_nothing"))
    outcome = fetch(ref(1, FEED))[1]
    assert isinstance(outcome, Unreadable) and outcome.code == ErrorCode.NOT_DISCOVERABLE


@pytest.mark.parametrize("handle", ["", "   ", "mei){id}", "mei.eats,business_discovery"])
@respx.mock
def test_without_a_usable_handle_the_post_is_unreadable_without_a_call(handle):
    discovery = respx.get(DISCOVERY).mock(return_value=page("discovery_media_page1"))
    outcome = fetch(ref(1, FEED, handle=handle))[1]
    assert isinstance(outcome, Unreadable) and outcome.code == ErrorCode.NO_HANDLE
    assert discovery.call_count == 0


@respx.mock
def test_an_expired_token_on_discovery_stops_the_batch():
    respx.get(DISCOVERY).mock(return_value=page("error_token_expired", 400))
    with pytest.raises(AuthExpired):
        fetch(ref(1, FEED))


@respx.mock
def test_throttling_on_discovery_stops_the_batch():
    respx.get(DISCOVERY).mock(
        return_value=httpx.Response(
            400, json=recorded("instagram/error_throttled.json"), headers={"Retry-After": "120"}
        )
    )
    with pytest.raises(RateLimited):
        fetch(ref(1, FEED))


@respx.mock
def test_a_count_of_the_wrong_type_spoils_only_its_post():
    body = recorded("instagram/discovery_media_page1.json")
    body["business_discovery"]["media"]["data"][0]["like_count"] = "5.2千"
    respx.get(DISCOVERY).mock(return_value=httpx.Response(200, json=body))
    outcomes = fetch(ref(1, NEWEST), ref(2, FEED))
    assert isinstance(outcomes[1], Unreadable) and "5.2千" in outcomes[1].detail
    assert isinstance(outcomes[2], Fetched)


@respx.mock
def test_an_unusable_cursor_is_never_put_into_the_field_expression(monkeypatch):
    monkeypatch.setattr(instagram_public, "PAGE_SIZE", 3)
    body = recorded("instagram/discovery_media_page1.json")
    body["business_discovery"]["media"]["paging"]["cursors"]["after"] = "x){id}"
    discovery = respx.get(DISCOVERY).mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderError):
        fetch(ref(1, "DAaaaaaaaaa"))
    assert discovery.call_count == 1
