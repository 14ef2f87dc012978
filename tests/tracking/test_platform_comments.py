"""Comment samples read from the platforms with an account's figures: YouTube's top-level
comments (the key, or a creator's grant) and Instagram's comments edge (the creator's own
token only), texts without authors, within the quota, feeding the authenticity score."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
import time_machine

from campaigns.models import CampaignStatus
from creators.models import CommentSample
from creators.services import comment_sample_add
from tests.campaigns import url
from tests.factories import CollaborationFactory, PlatformConnectionFactory, SocialAccountFactory
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.providers import instagram
from tracking.ingest.providers.base import (
    COMMENT_POSTS,
    AccountRef,
    Credentials,
    RecentPost,
)
from tracking.ingest.providers.instagram import InstagramProvider
from tracking.ingest.providers.youtube import YouTubeProvider
from tracking.ingest.quota import quota_spent_today
from tracking.ingest.sweeps import accounts_refresh
from tracking.models import AccountScore, ApiQuota
from tracking.results import account_scores

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 12:00 in California
KEY = "AIzaSyA-recorded-test-key"
YOUTUBE = f"{LOOPBACK}/youtube"
CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
NEWER, OLDER = "9bZkp7q19f0", "dQw4w9WgXcQ"  # the channel's uploads: 11-21 and 11-20
INSTAGRAM = f"{LOOPBACK}/instagram"
USER = "17841405822304914"
TOKEN = "EAAGm0PX4ZCpsBA-recorded-test-token"
# page 1 of the media list, newest first, then page 2
REEL, FEED, OLD_FEED = "18045678901234567", "17998877665544332", "18011223344556677"
PAGE_TWO_MEDIA = ("17933445566778899", "18055667788990011")
AUTHORS = ("meiling_tw", "pod_a1", "authorChannelId", "yt3.ggpht.com", "UCmeilin")


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


# YouTube -------------------------------------------------------------------------------------


def youtube_routes(threads: dict[str, str]) -> respx.Route:
    """The channel, its two latest uploads, and each upload's comment threads: the recorded
    answer named for its video id (an error_ one is sent as the 403 it is)."""
    respx.get(f"{YOUTUBE}/channels").respond(json=recorded("youtube/channels.json"))
    respx.get(f"{YOUTUBE}/playlistItems").respond(json=recorded("youtube/playlist_items.json"))
    respx.get(f"{YOUTUBE}/videos").respond(json=recorded("youtube/videos.json"))

    def answer(request: httpx.Request) -> httpx.Response:
        name = threads[request.url.params["videoId"]]
        status = 403 if name.startswith("error_") else 200
        return httpx.Response(status, json=recorded(f"youtube/{name}.json"))

    return respx.get(f"{YOUTUBE}/commentThreads").mock(side_effect=answer)


BOTH_UPLOADS = {OLDER: "comment_threads", NEWER: "comment_threads_pod"}


def read_channel():
    return YouTubeProvider().fetch_account(
        AccountRef(key=1, platform_id=CHANNEL), Credentials(token=KEY, base_url=YOUTUBE)
    )


@respx.mock
def test_youtube_samples_one_page_of_the_newest_comments_of_each_latest_upload():
    threads = youtube_routes(BOTH_UPLOADS)
    figures = read_channel()
    assert figures.followers == 128_000
    assert [call.request.url.params["videoId"] for call in threads.calls] == [NEWER, OLDER]
    params = threads.calls.last.request.url.params
    assert params["part"] == "snippet" and params["maxResults"] == "100"
    assert params["order"] == "time" and params["textFormat"] == "plainText"
    assert "pageToken" not in params  # one page a video, though the answer offers another
    sample = figures.comments
    assert sample is not None and sample.posts == (NEWER, OLDER)
    assert len(sample.texts) == 20 + 13  # the blank comment is left out
    assert sample.texts[0] == "好美😍"
    # textOriginal when YouTube sends it, else the plain-text textDisplay.
    assert "想知道早上用會不會太黏,上妝會不會搓泥" in sample.texts
    assert not any(author in text for text in sample.texts for author in AUTHORS)
    # channels, playlistItems, videos, then one unit a video's comments.
    assert quota_spent_today(platform="youtube", token=KEY) == 3 + 2


@respx.mock
def test_a_video_with_comments_turned_off_is_left_out_of_the_sample():
    youtube_routes({OLDER: "comment_threads", NEWER: "error_comments_disabled"})
    sample = read_channel().comments
    assert sample is not None and sample.posts == (OLDER,)
    assert len(sample.texts) == 13


@respx.mock
def test_comments_turned_off_everywhere_give_no_sample_and_the_figures_stand():
    youtube_routes({OLDER: "error_comments_disabled", NEWER: "error_comments_disabled"})
    figures = read_channel()
    assert figures.comments is None
    assert figures.followers == 128_000 and len(figures.recent_posts) == 2


@respx.mock
def test_the_quota_running_out_mid_sample_drops_it_and_keeps_the_figures():
    threads = youtube_routes({NEWER: "comment_threads_pod", OLDER: "error_quota_exceeded"})
    figures = read_channel()
    assert figures.comments is None  # half a sample is not kept
    assert figures.followers == 128_000
    assert threads.call_count == 2
    assert ApiQuota.objects.get().units == 10_000  # the rest of the day is booked


@respx.mock
def test_no_comment_is_read_when_the_days_quota_is_tight(settings):
    # The figures take 3 units of 6; two more would pass 80 %, kept for the posts' pulls.
    settings.YOUTUBE_DAILY_QUOTA = 6
    threads = youtube_routes(BOTH_UPLOADS)
    figures = read_channel()
    assert figures.comments is None and figures.followers == 128_000
    assert threads.call_count == 0
    assert quota_spent_today(platform="youtube", token=KEY) == 3


@respx.mock
def test_only_the_latest_uploads_with_comments_are_read():
    threads = respx.get(f"{YOUTUBE}/commentThreads").respond(
        json=recorded("youtube/comment_threads.json")
    )
    day = datetime(2026, 11, 1, tzinfo=UTC)
    recent = tuple(
        RecentPost(f"video{n:06d}", day + timedelta(days=n), {"comments": 0 if n == 4 else 5})
        for n in range(6)
    )
    credentials = Credentials(token=KEY, base_url=YOUTUBE)
    with httpx.Client(base_url=YOUTUBE) as http:
        sample = YouTubeProvider()._comment_sample(http, credentials, recent)
    assert threads.call_count == COMMENT_POSTS == 3
    # The newest first; video 4 has no comments and costs no call.
    assert sample is not None and sample.posts == ("video000005", "video000003", "video000002")


@respx.mock
def test_a_refresh_stores_the_texts_as_a_platform_sample_without_authors(workspace, settings):
    settings.YOUTUBE_API_KEY = KEY
    channel = at_work(SocialAccountFactory(creator__workspace=workspace, platform="youtube"))
    youtube_routes(BOTH_UPLOADS)
    assert accounts_refresh().refreshed == 1
    sample = CommentSample.objects.get(account=channel)
    assert sample.source == CommentSample.Source.PLATFORM
    assert sample.size == len(sample.comments) == 33
    assert sample.description == f"{NEWER}, {OLDER}"
    assert all(text.strip() for text in sample.comments)
    stored = json.dumps([sample.comments, sample.description], ensure_ascii=False)
    assert not any(author in stored for author in AUTHORS)


@respx.mock
def test_each_refresh_adds_one_sample_and_the_account_keeps_its_newest_five(workspace, settings):
    settings.YOUTUBE_API_KEY = KEY
    channel = at_work(SocialAccountFactory(creator__workspace=workspace, platform="youtube"))
    for n in range(CommentSample.KEEP_PER_ACCOUNT):
        comment_sample_add(account=channel, comments=[f"pasted {n}"], source="pasted")
    youtube_routes(BOTH_UPLOADS)
    accounts_refresh()
    with time_machine.travel(NOW + timedelta(days=1, hours=1), tick=False):
        accounts_refresh()
    kept = CommentSample.objects.filter(account=channel).order_by("-created_at", "-pk")
    assert [s.source for s in kept] == ["platform", "platform", "pasted", "pasted", "pasted"]


# Instagram -----------------------------------------------------------------------------------


def own_profile() -> dict:
    """The account's profile with its latest media expanded (pages 1 and 2 of the listing)."""
    media = recorded("instagram/media_page1.json")["data"]
    media += recorded("instagram/media_page2.json")["data"]
    return recorded("instagram/profile.json") | {"media": {"data": media}}


def instagram_routes() -> None:
    respx.get(f"{INSTAGRAM}/{USER}").respond(json=own_profile())
    respx.get(f"{INSTAGRAM}/{USER}/insights").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json=recorded(f"instagram/demographics_{request.url.params['breakdown']}.json"),
        )
    )


def comments_route(media_id: str, *answers: httpx.Response) -> respx.Route:
    return respx.get(f"{INSTAGRAM}/{media_id}/comments").mock(side_effect=list(answers))


def page(n: int) -> httpx.Response:
    return httpx.Response(200, json=recorded(f"instagram/comments_page{n}.json"))


def read_instagram(*, by_owner: bool = True):
    return InstagramProvider().fetch_account(
        AccountRef(key=1, platform_id=USER, handle="@mei.daily", by_owner=by_owner),
        Credentials(token=TOKEN, base_url=INSTAGRAM, account_id=USER),
    )


@respx.mock
def test_instagram_reads_the_comments_of_the_latest_media_with_the_accounts_own_token():
    instagram_routes()
    reel = comments_route(REEL, page(1), page(2))
    others = [comments_route(media, page(2)) for media in (FEED, OLD_FEED)]
    older = [comments_route(media, page(2)) for media in PAGE_TWO_MEDIA]
    figures = read_instagram()
    assert figures.followers == 86420 and set(figures.audience) == {
        "age",
        "gender",
        "countries",
        "cities",
    }
    # The cursor is followed on our own base URL; only the text is asked for.
    assert reel.call_count == 2
    assert (
        reel.calls[1].request.url.params["after"]
        == "QVFIUnZAoN0x5VGZAHbW5kQ1ZAwM1FJcmJGRWJxOXl6eGpxN0tr"
    )
    assert reel.calls[0].request.url.params["fields"] == "text"
    assert reel.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert all(route.call_count == 1 for route in others)
    assert all(route.call_count == 0 for route in older)  # three media at most
    sample = figures.comments
    assert sample is not None
    assert sample.posts == ("DCx7kQmPa1Z", "DCv2Lr8ytQe", "DCt9Wm3xRkA")
    assert len(sample.texts) == 9 + 4 + 4 + 4  # page 1 has one comment without text
    assert sample.texts[0] == "這件外套在哪裡買的?好想要同款"


@respx.mock
def test_business_discovery_never_reads_comments():
    respx.get(f"{INSTAGRAM}/{USER}").respond(json=recorded("instagram/business_discovery.json"))
    comments = respx.get(url__regex=rf"{INSTAGRAM}/\d+/comments").respond(json={"data": []})
    figures = read_instagram(by_owner=False)
    assert figures.followers == 267793
    assert figures.comments is None and comments.call_count == 0


@respx.mock
def test_a_token_without_the_comments_permission_gives_no_sample_and_the_figures_stand():
    instagram_routes()
    denied = httpx.Response(400, json=recorded("instagram/error_comments_permission.json"))
    route = comments_route(REEL, denied)
    figures = read_instagram()
    assert figures.comments is None
    assert route.call_count == 1  # one refusal ends the sample
    assert figures.followers == 86420 and figures.audience


@respx.mock
def test_throttling_on_comments_ends_the_sample_not_the_refresh():
    instagram_routes()
    comments_route(REEL, httpx.Response(400, json=recorded("instagram/error_throttled.json")))
    figures = read_instagram()
    assert figures.comments is None and figures.followers == 86420


@respx.mock
def test_a_media_deleted_since_it_was_listed_is_left_out():
    instagram_routes()
    gone = httpx.Response(400, json=recorded("instagram/error_object_missing.json"))
    comments_route(REEL, gone)
    for media in (FEED, OLD_FEED):
        comments_route(media, page(2))
    sample = read_instagram().comments
    assert sample is not None and sample.posts == ("DCv2Lr8ytQe", "DCt9Wm3xRkA")


@respx.mock
def test_comments_of_a_media_stop_at_the_bound(monkeypatch):
    monkeypatch.setattr(instagram, "COMMENTS_PER_POST", 15)
    instagram_routes()
    reel = respx.get(f"{INSTAGRAM}/{REEL}/comments").mock(side_effect=lambda request: page(1))
    for media in (FEED, OLD_FEED):
        comments_route(media, page(2))
    sample = read_instagram().comments
    assert reel.call_count == 2  # 10 a page: the second page reaches 15
    assert sample is not None and len(sample.texts) == 14 + 4 + 4  # one of the 15 is empty


@respx.mock
def test_a_creators_own_instagram_connection_stores_a_sample_a_brands_does_not(workspace):
    own = at_work(
        SocialAccountFactory(creator__workspace=workspace, platform="instagram", platform_id=USER)
    )
    PlatformConnectionFactory(workspace=workspace, account=own, external_id=USER, token=TOKEN)
    other = at_work(
        SocialAccountFactory(
            creator__workspace=workspace, platform="instagram", handle="bluebottle"
        )
    )
    instagram_routes()
    for media in (REEL, FEED, OLD_FEED):
        comments_route(media, page(2))
    brand = PlatformConnectionFactory(workspace=workspace, external_id="17841400000000001")
    respx.get(f"{INSTAGRAM}/{brand.external_id}").respond(
        json=recorded("instagram/business_discovery.json")
    )
    assert accounts_refresh().refreshed == 2
    assert CommentSample.objects.get().account == own
    assert not other.comment_samples.exists()


# The authenticity score ----------------------------------------------------------------------


def at_work(account):
    CollaborationFactory(
        campaign__workspace=account.workspace,
        campaign__status=CampaignStatus.RUNNING,
        creator=account.creator,
    )
    return account


@respx.mock
def test_a_platform_sample_of_copied_comments_turns_the_signal_and_says_where_it_came_from(
    alice_client, workspace, settings
):
    settings.YOUTUBE_API_KEY = KEY
    channel = at_work(
        SocialAccountFactory(
            creator__workspace=workspace, platform="youtube", followers=10_000, following=50
        )
    )
    genuine = [f"請問第 {n} 集提到的產品在哪買" for n in range(35)]
    comment_sample_add(account=channel, comments=genuine, source="pasted")
    account_scores.account_scores_compute(workspace.pk)
    before = AccountScore.objects.get(account=channel).signals["generic_comments"]
    assert before["available"] and not before["fired"] and before["value"] == 0
    assert before["sample_source"] == "pasted"
    youtube_routes(BOTH_UPLOADS)
    accounts_refresh()
    account_scores.account_scores_compute(workspace.pk)
    after = AccountScore.objects.get(account=channel).signals["generic_comments"]
    # 20 pod comments (stock praise, emoji, one line copied four times) and 2 of the 13 from
    # the other upload ("好美", emoji only): 22 of 33.
    assert after["available"] and after["fired"]
    assert after["value"] == pytest.approx(22 / 33)
    assert after["comments_read"] == 33
    assert after["sample_source"] == "platform" and after["sample_at"].startswith("2026-11-23")
    panel = alice_client.get(url("creator_scores", workspace, channel.creator_id))
    assert "Comments read from the platform on 2026-11-24." in panel.text  # Taipei time
    assert "<q>好美😍</q> × 7" in panel.text  # with the other upload's "好美"
