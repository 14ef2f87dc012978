"""Issue 17, part 3: the account refresh reads audience age, gender, country and city from the
platforms where the creator connected (Instagram and Threads follower demographics, YouTube
Analytics viewers), stores them with their source and date under the audience vocabulary, and
audience fit and the directory filters use them; a post read with the creator's own token keeps
its watch time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import respx
import time_machine
from django.urls import reverse

from creators.models import AudienceProfile, SocialAccount
from tests.campaigns import url
from tests.factories import (
    AudienceProfileFactory,
    CampaignFactory,
    CollaborationFactory,
    PlatformConnectionFactory,
    PostFactory,
    SocialAccountFactory,
)
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.providers.base import (
    AccountRef,
    AuthExpired,
    Credentials,
    RateLimited,
)
from tracking.ingest.providers.threads import ThreadsProvider
from tracking.ingest.pulls import Batch, pull_batch
from tracking.ingest.sweeps import accounts_refresh
from tracking.models import ConnectionStatus, MetricSnapshot, Post
from tracking.results import figures

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # noon in Taipei, the day before in California
TODAY = date(2026, 11, 23)  # the workspace's day (Asia/Taipei)
INSTAGRAM_USER = "17841405822304914"
THREADS_USER = "26112233445566778"
CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
BREAKDOWNS = ("age", "gender", "country", "city")


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


def creators_account(workspace, platform: str, platform_id: str) -> SocialAccount:
    """A creator at work in a running campaign, connected by their own OAuth grant."""
    account = SocialAccountFactory(
        creator__workspace=workspace,
        platform=platform,
        platform_id=platform_id,
        handle=f"mei.{platform}",
        followers=20_000,
    )
    CollaborationFactory(
        campaign__brand__workspace=workspace,
        creator=account.creator,
        stage="published",
        fee=1000,
    )
    PlatformConnectionFactory(
        workspace=workspace,
        platform=platform,
        account=account,
        external_id=platform_id,
        token=f"{platform}-creator-grant",
    )
    return account


def breakdowns_route(url: str, folder: str, **answers: httpx.Response) -> respx.Route:
    """The insights route, answering each breakdown as given or as recorded (and Threads'
    followers_count, asked at the same address)."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params["metric"] == "followers_count":
            return httpx.Response(200, json=recorded("threads/user_insights.json"))
        breakdown = request.url.params["breakdown"]
        stored = recorded(f"{folder}/demographics_{breakdown}.json")
        return answers.get(breakdown) or httpx.Response(200, json=stored)

    return respx.get(url).mock(side_effect=answer)


def instagram_routes(**answers: httpx.Response) -> respx.Route:
    base = f"{LOOPBACK}/instagram/{INSTAGRAM_USER}"
    respx.get(base).respond(json=recorded("instagram/profile.json"))
    return breakdowns_route(f"{base}/insights", "instagram", **answers)


def threads_routes(**answers: httpx.Response) -> respx.Route:
    url = f"{LOOPBACK}/threads/{THREADS_USER}/threads_insights"
    # The refresh also asks for the profile picture (tests/tracking/test_faces.py).
    respx.get(f"{LOOPBACK}/threads/{THREADS_USER}").respond(json=recorded("threads/profile.json"))
    return breakdowns_route(url, "threads", **answers)


def youtube_routes(**answers: httpx.Response) -> respx.Route:
    base = f"{LOOPBACK}/youtube"
    respx.get(f"{base}/channels").respond(json=recorded("youtube/channels.json"))
    respx.get(f"{base}/playlistItems").respond(json=recorded("youtube/playlist_items.json"))
    respx.get(f"{base}/videos").respond(json=recorded("youtube/videos.json"))
    # The refresh also samples the latest uploads' comments (tests/tracking/
    # test_platform_comments.py covers them).
    respx.get(f"{base}/commentThreads").respond(json=recorded("youtube/comment_threads.json"))
    files = {"ageGroup,gender": "viewer_percentage", "country": "views_by_country"}

    def answer(request: httpx.Request) -> httpx.Response:
        dimensions = request.url.params["dimensions"]
        given = answers.get(files[dimensions])
        return given or httpx.Response(
            200, json=recorded(f"youtube_analytics/{files[dimensions]}.json")
        )

    return respx.get(f"{LOOPBACK}/youtube_analytics/reports").mock(side_effect=answer)


# The Threads provider --------------------------------------------------------------------------

THREADS_BASE = f"{LOOPBACK}/threads"
OWN_THREADS = AccountRef(key=1, platform_id=THREADS_USER, by_owner=True)
THREADS_GRANT = Credentials(token="THAA-recorded", base_url=THREADS_BASE, account_id=THREADS_USER)


@respx.mock
def test_threads_reads_each_breakdown_in_its_own_call_without_a_date_range():
    route = threads_routes()
    read = ThreadsProvider().fetch_account(OWN_THREADS, THREADS_GRANT)
    assert read.followers == 24318
    asked = [call.request for call in route.calls if "breakdown" in call.request.url.params]
    assert sorted(request.url.params["breakdown"] for request in asked) == sorted(BREAKDOWNS)
    for request in asked:
        assert request.url.params["metric"] == "follower_demographics"
        assert not {"since", "until", "period"} & set(request.url.params)
        assert request.headers["Authorization"] == "Bearer THAA-recorded"
    assert read.audience["gender"] == pytest.approx(
        {"F": 15410 / 24150, "M": 8230 / 24150, "U": 510 / 24150}
    )
    assert read.audience["countries"]["TW"] == pytest.approx(19870 / 23940)
    assert set(read.audience) == {"age", "gender", "countries", "cities"}


@respx.mock
def test_threads_below_a_hundred_followers_has_no_audience_and_keeps_its_followers():
    empty = httpx.Response(200, json=recorded("threads/demographics_empty.json"))
    refused = httpx.Response(400, json=recorded("threads/error_invalid_metric.json"))
    threads_routes(age=empty, gender=empty, country=refused, city=empty)
    read = ThreadsProvider().fetch_account(OWN_THREADS, THREADS_GRANT)
    assert read.followers == 24318
    assert read.audience == {}


@pytest.mark.parametrize(
    ("name", "error"),
    [("error_token_expired", AuthExpired), ("error_throttled", RateLimited)],
)
@respx.mock
def test_threads_stops_on_a_dead_token_or_throttling(name, error):
    threads_routes(city=httpx.Response(400, json=recorded(f"threads/{name}.json")))
    with pytest.raises(error):
        ThreadsProvider().fetch_account(OWN_THREADS, THREADS_GRANT)


# The refresh stores what the platforms read ----------------------------------------------------


@respx.mock
def test_an_instagram_refresh_stores_the_audience_under_the_vocabulary_as_read_today(workspace):
    account = creators_account(workspace, "instagram", INSTAGRAM_USER)
    instagram_routes()
    report = accounts_refresh()
    assert (report.refreshed, report.failed) == (1, 0)
    profile = AudienceProfile.objects.get(account=account)
    assert (profile.source, profile.captured_on) == ("api", TODAY)
    assert profile.gender == {"female": 0.7116, "male": 0.2686, "other": 0.0198}
    assert set(profile.age) == {"13-17", "18-24", "25-34", "35-44", "45-54"}
    assert profile.countries["TW"] == pytest.approx(0.8163, abs=1e-4)
    assert set(profile.cities) == {"台北市", "新北市", "台中市", "高雄市"}


@respx.mock
def test_a_threads_refresh_stores_its_followers_audience(workspace):
    account = creators_account(workspace, "threads", THREADS_USER)
    threads_routes()
    accounts_refresh()
    profile = AudienceProfile.objects.get(account=account)
    assert profile.source == "api"
    assert set(profile.gender) == {"female", "male", "other"}
    assert set(profile.cities) == {"台北市", "新北市", "台中市", "高雄市", "Hong Kong"}
    assert set(profile.age) == {"13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}


@respx.mock
def test_a_youtube_refresh_with_the_creators_google_grant_stores_the_viewers(workspace):
    account = creators_account(workspace, "youtube", CHANNEL)
    youtube_routes()
    accounts_refresh()
    account.refresh_from_db()
    assert account.followers == 128_000
    profile = AudienceProfile.objects.get(account=account)
    assert profile.source == "api"
    assert set(profile.age) == {"13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    assert profile.age["65+"] == pytest.approx(0.007)
    assert profile.gender == {"female": 0.666, "male": 0.323, "other": 0.011}
    assert set(profile.countries) == {"TW", "HK", "MY", "US", "SG", "JP"}
    assert max(profile.countries, key=profile.countries.__getitem__) == "TW"
    assert profile.cities == {}


@respx.mock
def test_withheld_demographics_write_no_profile_and_fail_nothing(workspace):
    account = creators_account(workspace, "instagram", INSTAGRAM_USER)
    instagram_routes().mock(
        return_value=httpx.Response(400, json=recorded("instagram/error_not_enough_viewers.json"))
    )
    report = accounts_refresh()
    assert (report.refreshed, report.failed) == (1, 0)
    account.refresh_from_db()
    assert account.followers == 86420 and account.last_refreshed_at == NOW
    assert not AudienceProfile.objects.exists()


@respx.mock
def test_a_revoked_grant_asks_for_a_reconnection_and_stores_nothing(workspace):
    account = creators_account(workspace, "youtube", CHANNEL)
    youtube_routes(
        viewer_percentage=httpx.Response(
            401, json=recorded("youtube_analytics/error_unauthorized.json")
        )
    )
    report = accounts_refresh()
    assert report.refreshed == 0
    assert account.connections.get().status == ConnectionStatus.NEEDS_RECONNECT
    assert not AudienceProfile.objects.exists()


@respx.mock
def test_throttled_demographics_leave_the_account_for_the_next_run(workspace):
    account = creators_account(workspace, "threads", THREADS_USER)
    threads_routes(age=httpx.Response(400, json=recorded("threads/error_throttled.json")))
    accounts_refresh()
    account.refresh_from_db()
    assert account.last_refreshed_at is None
    assert account.connections.get().status == ConnectionStatus.ACTIVE
    assert not AudienceProfile.objects.exists()


# Audience fit and the directory use the newest profile, the platform's included ----------------


@respx.mock
def test_a_profile_the_platform_read_changes_the_fit_and_is_found_by_the_directory(
    workspace, alice_client
):
    account = creators_account(workspace, "instagram", INSTAGRAM_USER)
    campaign = account.creator.collaborations.get().campaign
    campaign.target_audience = {"gender": {"female": 0.7}, "countries": {"TW": 0.8}}
    campaign.save()
    AudienceProfileFactory(
        account=account,
        captured_on=TODAY - timedelta(days=30),
        source="screenshot",
        age={},
        gender={"female": 0.35, "male": 0.65},
        countries={"JP": 0.6, "TW": 0.4},
    )
    (row,) = figures.campaign_result_compute(campaign).report["creators"]
    assert row["audience_fit"] == 50.0  # gender 35 / 70, countries 40 / 80
    assert row["audience_from"]["source"] == "screenshot"
    directory = reverse("creator_list", args=[workspace.slug])
    wanted = {"audience_country": "台灣", "audience_country_min": "80"}
    assert not alice_client.get(directory, wanted).context["page"].object_list

    instagram_routes()
    accounts_refresh()

    (row,) = figures.campaign_result_compute(campaign).report["creators"]
    assert row["audience_fit_dimensions"] == {"gender": 100.0, "countries": 100.0}
    assert row["audience_from"] == {
        "source": "api",
        "platform": "instagram",
        "captured_on": "2026-11-23",
    }
    found = alice_client.get(directory, wanted).context["page"].object_list
    assert [creator.pk for creator in found] == [account.creator_id]


def test_the_results_say_where_each_creators_audience_comes_from(workspace, alice_client):
    campaign = CampaignFactory(brand__workspace=workspace)
    campaign.target_audience = {"gender": {"female": 0.7}}
    campaign.save()
    for name, source in (("Read", "api"), ("Typed", "platform")):
        collaboration = CollaborationFactory(
            campaign=campaign, creator__display_name=name, stage="published", fee=1000
        )
        AudienceProfileFactory(
            account=SocialAccountFactory(creator=collaboration.creator, platform="instagram"),
            captured_on=TODAY,
            source=source,
            gender={"female": 0.6, "male": 0.4},
        )
    figures.campaign_result_compute(campaign)
    page = alice_client.get(
        url("campaign_results_fragment", workspace, campaign.pk, "creators")
    ).text
    assert 'title="Read from Instagram on 2026-11-23"' in page
    assert '<span class="muted small audience-source">Instagram, 2026-11-23</span>' in page
    assert 'title="Entered by hand on 2026-11-23 (Platform insights)"' in page
    assert "audience-source--by-hand" in page and ">entered by hand</span>" in page


# Watch time of a post read with the creator's own Google grant ---------------------------------


@respx.mock
def test_a_pull_through_the_creators_grant_keeps_the_watch_time(workspace, alice_client):
    account = creators_account(workspace, "youtube", CHANNEL)
    collaboration = account.creator.collaborations.get()
    post = PostFactory(
        collaboration=collaboration,
        platform_id="dQw4w9WgXcQ",
        published_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
    )
    respx.get(f"{LOOPBACK}/youtube/videos").respond(json=recorded("youtube/videos.json"))
    analytics = respx.get(f"{LOOPBACK}/youtube_analytics/reports").respond(
        json=recorded("youtube_analytics/video_watch_time.json")
    )
    connection = account.connections.get()
    batch = Batch("youtube", workspace.pk, connection.pk, (post.pk,))
    assert pull_batch(batch).error is None
    post.refresh_from_db()
    assert (post.watch_minutes, post.shares, post.views) == (71532, 402, 48213)
    snapshot = MetricSnapshot.objects.get(post=post)
    assert snapshot.raw["analytics"]["estimatedMinutesWatched"] == 71532
    assert analytics.calls.last.request.headers["Authorization"] == "Bearer youtube-creator-grant"

    panel = alice_client.get(
        reverse("collaboration_posts", args=[workspace.slug, collaboration.pk])
    ).text
    assert ">Watch time</th>" in panel
    assert 'data-watch-minutes="71532">71.5K min</td>' in panel

    # A later read without analytics keeps the last watch time, as counters do.
    analytics.mock(
        return_value=httpx.Response(200, json=recorded("youtube_analytics/no_rows.json"))
    )
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        pull_batch(batch)
    post.refresh_from_db()
    assert post.watch_minutes == 71532 and MetricSnapshot.objects.filter(post=post).count() == 2


def test_the_posts_panel_shows_no_watch_time_column_when_no_post_has_one(workspace, alice_client):
    post = PostFactory(collaboration__campaign__brand__workspace=workspace, views=10)
    panel = alice_client.get(
        reverse("collaboration_posts", args=[workspace.slug, post.collaboration_id])
    ).text
    assert "Watch time" not in panel
    Post.objects.filter(pk=post.pk).update(watch_minutes=45)
    panel = alice_client.get(
        reverse("collaboration_posts", args=[workspace.slug, post.collaboration_id])
    ).text
    assert 'data-watch-minutes="45">45 min</td>' in panel
