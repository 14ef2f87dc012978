"""YouTube Analytics read with a creator's own Google grant: the channel's audience and each
video's watch time, against recorded Analytics API v2 answers (tests/tracking/recorded/
youtube_analytics/README.md), errors included."""

from __future__ import annotations

from datetime import UTC, datetime

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
    PostRef,
    RateLimited,
)
from tracking.ingest.providers.youtube import YouTubeProvider
from tracking.ingest.quota import quota_spent_today

BASE = f"{LOOPBACK}/youtube/v3"
REPORTS = f"{LOOPBACK}/youtube_analytics/reports"
TOKEN = "ya29.recorded-google-grant"
CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 12:00 in California
# A creator's Google grant on their own channel (PlatformConnection kind oauth, account set).
GRANT = Credentials(
    token=TOKEN, base_url=BASE, account_id=CHANNEL, reads_own_posts=True, bearer=True
)
KEY = Credentials(token="AIzaSyA-recorded-test-key", base_url=BASE)
OWN_CHANNEL = AccountRef(key=1, platform_id=CHANNEL, by_owner=True)
FIRST, SECOND = "dQw4w9WgXcQ", "9bZkp7q19f0"


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


def channel_routes() -> None:
    respx.get(f"{BASE}/channels").respond(json=recorded("youtube/channels.json"))
    respx.get(f"{BASE}/playlistItems").respond(json=recorded("youtube/playlist_items.json"))
    # The refresh samples the latest uploads' comments too (test_platform_comments.py).
    respx.get(f"{BASE}/commentThreads").respond(json=recorded("youtube/comment_threads.json"))
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))


def audience_reports(**answers: httpx.Response) -> respx.Route:
    """The reports route, answering each report (by its dimensions) as given or as recorded."""
    recorded_answers = {
        "ageGroup,gender": "youtube_analytics/viewer_percentage.json",
        "country": "youtube_analytics/views_by_country.json",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        dimensions = request.url.params["dimensions"]
        given = answers.get(dimensions.replace(",", "_"))
        return given or httpx.Response(200, json=recorded(recorded_answers[dimensions]))

    return respx.get(REPORTS).mock(side_effect=answer)


def fail(status: int, name: str) -> httpx.Response:
    return httpx.Response(status, json=recorded(f"youtube_analytics/{name}.json"))


@respx.mock
def test_the_creators_grant_reads_the_channels_viewers_by_age_gender_and_country():
    channel_routes()
    reports = audience_reports()
    figures = YouTubeProvider().fetch_account(OWN_CHANNEL, GRANT)
    assert figures.followers == 128_000
    assert reports.call_count == 2
    viewers, countries = (call.request for call in reports.calls)
    assert viewers.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in viewers.url.params and "key" not in viewers.url.params
    assert dict(viewers.url.params) == {
        "ids": "channel==MINE",
        "startDate": "2026-08-25",  # 90 days back, in YouTube's Pacific days
        "endDate": "2026-11-23",
        "metrics": "viewerPercentage",
        "dimensions": "ageGroup,gender",
    }
    assert countries.url.params["metrics"] == "views"
    assert countries.url.params["sort"] == "-views"
    audience = figures.audience
    # Age groups add up over the genders: 27.5 + 12.4 + 0.4 of 100.
    assert audience["age"]["age25-34"] == pytest.approx(0.403)
    assert sum(audience["age"].values()) == pytest.approx(1.0)
    assert audience["gender"] == pytest.approx(
        {"female": 0.666, "male": 0.323, "user_specified": 0.011}
    )
    total = 412880 + 38214 + 21907 + 15120 + 7733 + 4146
    assert audience["countries"]["TW"] == pytest.approx(412880 / total)
    assert list(audience["countries"]) == ["TW", "HK", "MY", "US", "SG", "JP"]
    assert set(figures.raw["analytics"]) == {"viewer_percentage", "views_by_country"}


@respx.mock
def test_the_audience_costs_no_data_api_quota():
    channel_routes()
    audience_reports()
    YouTubeProvider().fetch_account(OWN_CHANNEL, GRANT)
    # channels, playlistItems, videos and one comment page for each of the two latest
    # uploads: the Analytics API has a quota of its own.
    assert quota_spent_today(platform="youtube", token=TOKEN) == 5


@respx.mock
def test_an_api_key_or_another_channel_reads_no_audience():
    channel_routes()
    reports = audience_reports()
    assert YouTubeProvider().fetch_account(OWN_CHANNEL, KEY).audience == {}
    other = AccountRef(key=2, platform_id=CHANNEL, by_owner=False)
    assert YouTubeProvider().fetch_account(other, GRANT).audience == {}
    assert reports.call_count == 0


@respx.mock
def test_a_channel_too_small_for_demographics_has_no_audience_and_keeps_its_figures():
    channel_routes()
    no_rows = httpx.Response(200, json=recorded("youtube_analytics/no_rows.json"))
    audience_reports(ageGroup_gender=no_rows, country=no_rows)
    figures = YouTubeProvider().fetch_account(OWN_CHANNEL, GRANT)
    assert figures.audience == {}
    assert figures.followers == 128_000


@respx.mock
def test_a_report_refused_for_this_channel_leaves_its_audience_unknown():
    channel_routes()
    audience_reports(ageGroup_gender=fail(400, "error_bad_request"))
    figures = YouTubeProvider().fetch_account(OWN_CHANNEL, GRANT)
    assert figures.audience == {}
    assert figures.followers == 128_000
    assert "badRequest" in figures.raw["analytics_error"]


@pytest.mark.parametrize(
    ("status", "name", "error", "code"),
    [
        (401, "error_unauthorized", AuthExpired, ErrorCode.AUTH_EXPIRED),
        (403, "error_insufficient_permissions", AuthExpired, ErrorCode.FORBIDDEN),
        (429, "error_rate_limit", RateLimited, ErrorCode.RATE_LIMITED),
    ],
)
@respx.mock
def test_a_revoked_grant_or_throttling_stops_the_refresh(status, name, error, code):
    channel_routes()
    audience_reports(ageGroup_gender=fail(status, name))
    with pytest.raises(error) as raised:
        YouTubeProvider().fetch_account(OWN_CHANNEL, GRANT)
    assert raised.value.code == code
    assert TOKEN not in raised.value.detail


@respx.mock
def test_an_answer_that_is_not_a_result_table_leaves_that_dimension_out():
    channel_routes()
    broken = recorded("youtube_analytics/views_by_country.json")
    broken["rows"][0] = ["TW", "lots"]
    audience_reports(country=httpx.Response(200, json=broken))
    audience = YouTubeProvider().fetch_account(OWN_CHANNEL, GRANT).audience
    assert set(audience) == {"age", "gender"}


# Watch time of the creator's videos ----------------------------------------------------------


def refs(*ids: str) -> list[PostRef]:
    return [PostRef(key=index + 1, platform_id=video) for index, video in enumerate(ids)]


@respx.mock
def test_the_creators_grant_reads_each_videos_watch_time_and_shares():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    route = respx.get(REPORTS).respond(json=recorded("youtube_analytics/video_watch_time.json"))
    outcomes = YouTubeProvider().fetch_posts(refs(FIRST, SECOND), GRANT)
    assert route.call_count == 1
    params = route.calls.last.request.url.params
    assert params["filters"] == f"video=={FIRST},{SECOND}"
    assert params["dimensions"] == "video"
    assert params["metrics"] == "estimatedMinutesWatched,averageViewDuration,shares"
    assert params["startDate"] == "2026-11-20"  # the older video came out that day (Pacific)
    assert (params["sort"], params["maxResults"]) == ("-estimatedMinutesWatched", "2")
    first, second = outcomes[1], outcomes[2]
    assert isinstance(first, Fetched) and isinstance(second, Fetched)
    assert first.watch_minutes == 71532 and second.watch_minutes == 268410
    assert first.counters == {"views": 48213, "likes": 2210, "comments": 187, "shares": 402}
    assert first.raw["analytics"]["averageViewDuration"] == 163
    assert first.raw["id"] == FIRST  # the Data API's video stays the raw answer


@respx.mock
def test_a_video_youtube_has_no_analytics_for_keeps_its_counters_without_watch_time():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    respx.get(REPORTS).respond(json=recorded("youtube_analytics/no_rows.json"))
    first = YouTubeProvider().fetch_posts(refs(FIRST), GRANT)[1]
    assert isinstance(first, Fetched)
    assert first.watch_minutes is None
    assert "shares" not in first.counters  # unknown, never 0


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (403, "error_insufficient_permissions"),
        (429, "error_rate_limit"),
        (400, "error_bad_request"),
    ],
)
@respx.mock
def test_watch_time_trouble_never_costs_the_data_apis_counters(status, name):
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    respx.get(REPORTS).mock(return_value=fail(status, name))
    first = YouTubeProvider().fetch_posts(refs(FIRST), GRANT)[1]
    assert isinstance(first, Fetched)
    assert first.counters["views"] == 48213 and first.watch_minutes is None
    assert str(status) in first.raw["analytics_error"]


@respx.mock
def test_an_api_key_or_a_brands_grant_reads_no_watch_time():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    route = respx.get(REPORTS).respond(json=recorded("youtube_analytics/video_watch_time.json"))
    YouTubeProvider().fetch_posts(refs(FIRST), KEY)
    brand = Credentials(token=TOKEN, base_url=BASE, bearer=True, reads_own_posts=False)
    YouTubeProvider().fetch_posts(refs(FIRST), brand)
    assert route.call_count == 0


@respx.mock
def test_a_watch_time_no_counter_can_hold_is_noted_not_stored():
    respx.get(f"{BASE}/videos").respond(json=recorded("youtube/videos.json"))
    body = recorded("youtube_analytics/video_watch_time.json")
    body["rows"][1][1] = 1e30
    respx.get(REPORTS).respond(json=body)
    first = YouTubeProvider().fetch_posts(refs(FIRST), GRANT)[1]
    assert isinstance(first, Fetched)
    assert first.watch_minutes is None and first.counters["views"] == 48213
    assert "expected a count" in first.raw["analytics_error"]
