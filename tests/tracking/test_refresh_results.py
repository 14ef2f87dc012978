"""What “Refresh now” reports: posts updated, failed with the reason and not configured with
the way to fix it, each post's error its own platform's, in words, in both languages."""

from __future__ import annotations

import re

import pytest
import respx
import time_machine
from django.urls import reverse
from django.utils import timezone

from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    CollaborationFactory,
    MembershipFactory,
    PlatformConnectionFactory,
    PostFactory,
    SocialAccountFactory,
    UserFactory,
)
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.pulls import RECHECK_AFTER
from tracking.models import Post, PostStatus

IG_USER = "17841405822304914"
REEL, REEL_MEDIA = "DCx7kQmPa1Z", "18045678901234567"
TIKTOK_VIDEO = "7311234567890123456"


@pytest.fixture
def collaboration(brand):
    return CollaborationFactory(campaign__brand=brand)


@pytest.fixture
def platforms():
    """The platforms' recorded answers, for the length of one test (routes that fixtures add
    to respx's global router would outlive it)."""
    with respx.mock as router:
        yield router


@pytest.fixture
def youtube_post(collaboration):
    """A YouTube post in a workspace with no YouTube key or connection."""
    return PostFactory(collaboration=collaboration, platform_id="dQw4w9WgXcQ")


@pytest.fixture
def instagram_post(collaboration, workspace, platforms):
    """An Instagram post readable through its creator's own Instagram connection."""
    account = SocialAccountFactory(creator=collaboration.creator, platform="instagram")
    PlatformConnectionFactory(
        workspace=workspace, platform="instagram", external_id=IG_USER, account=account
    )
    platforms.get(f"{LOOPBACK}/instagram/{IG_USER}/media").respond(
        json=recorded("instagram/media_page1.json")
    )
    platforms.get(f"{LOOPBACK}/instagram/{REEL_MEDIA}/insights").respond(
        json=recorded("instagram/insights_reel.json")
    )
    return PostFactory(
        collaboration=collaboration,
        platform="instagram",
        platform_id=REEL,
        url=f"https://www.instagram.com/reel/{REEL}/",
    )


@pytest.fixture
def tiktok_post(collaboration, workspace, platforms):
    """A TikTok post whose connection is throttled."""
    PlatformConnectionFactory(workspace=workspace, platform="tiktok", external_id="open-id-1")
    platforms.post(f"{LOOPBACK}/tiktok/v2/video/query/").respond(
        429, json=recorded("tiktok/error_rate_limit.json")
    )
    return PostFactory(
        collaboration=collaboration,
        platform="tiktok",
        platform_id=TIKTOK_VIDEO,
        url=f"https://www.tiktok.com/@mei.eats/video/{TIKTOK_VIDEO}",
    )


def rows(panel: str) -> dict[str, str]:
    """Each post row of the panel by the post's URL."""
    found = {}
    for row in re.findall(r"<tr>.*?</tr>", panel, flags=re.S):
        link = re.search(r'<a href="([^"]+)" target="_blank"', row)
        if link:
            found[link[1]] = row
    return found


def refresh_campaign(client, workspace, collaboration):
    return client.post(url("campaign_posts_refresh", workspace, collaboration.campaign_id))


def test_it_counts_updated_failed_and_not_configured_posts(
    alice_client, workspace, collaboration, youtube_post, instagram_post, tiktok_post
):
    panel = refresh_campaign(alice_client, workspace, collaboration).text
    assert "Refreshed 3 posts." not in panel
    assert "1 post updated." in panel
    assert "1 post could not be read:" in panel
    assert "TikTok asked us to slow down; the post is read again later. (1)" in panel
    assert "1 post cannot be read until a connection is set up:" in panel
    assert f'href="{reverse("connection_list", args=[workspace.slug])}"' in panel
    assert "alert--warning" in panel


def test_an_instagram_post_never_shows_the_youtube_posts_error(
    alice_client, workspace, collaboration, youtube_post, instagram_post
):
    panel = refresh_campaign(alice_client, workspace, collaboration).text
    by_url = rows(panel)
    assert "YouTube" not in by_url[instagram_post.url].replace(youtube_post.url, "")
    assert "No YouTube connection in this workspace" in by_url[youtube_post.url]
    instagram_post.refresh_from_db()
    assert (instagram_post.status, instagram_post.error_code) == (PostStatus.LIVE, "")
    youtube_post.refresh_from_db()
    assert youtube_post.error_code == "not_configured"


def test_a_member_who_cannot_open_the_connections_page_is_told_who_can(
    workspace, collaboration, youtube_post, client_for
):
    member = UserFactory()
    MembershipFactory(workspace=workspace, user=member, role=Role.MEMBER)
    panel = refresh_campaign(client_for(member), workspace, collaboration).text
    assert "1 post cannot be read until a connection is set up:" in panel
    assert reverse("connection_list", args=[workspace.slug]) not in panel
    assert "A manager of this workspace can set it up in Settings → Platform connections." in panel


def test_a_refresh_that_reads_everything_is_a_plain_success(
    alice_client, workspace, collaboration, instagram_post
):
    panel = refresh_campaign(alice_client, workspace, collaboration).text
    assert "1 post updated." in panel and "alert--ok" in panel
    assert "could not be read" not in panel


def test_a_deleted_post_is_counted_as_deleted_not_failed(
    alice_client, workspace, collaboration, settings
):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    post = PostFactory(
        collaboration=collaboration, platform_id="gone0000000", status=PostStatus.LIVE
    )
    with respx.mock:
        respx.get(f"{LOOPBACK}/youtube/videos").respond(json=recorded("youtube/videos_empty.json"))
        panel = refresh_campaign(alice_client, workspace, collaboration).text
        # Not found once: still live, and read again before it is reported gone.
        assert "1 post was not found: checking again before reporting it gone." in panel
        assert "no longer on its platform" not in panel and "could not be read" not in panel
        row = rows(panel)[post.url]
        assert ">Live</span>" in row
        assert "Not found at the last read: checking again before reporting it taken down." in row
        assert "no longer shows this post" not in row
        with time_machine.travel(timezone.now() + RECHECK_AFTER):
            panel = refresh_campaign(alice_client, workspace, collaboration).text
    assert "1 post is no longer on its platform." in panel
    assert "checking again" not in panel and "could not be read" not in panel
    assert ">Deleted</span>" in rows(panel)[post.url]


def test_the_reason_is_shown_in_traditional_chinese(
    workspace, collaboration, youtube_post, client_for
):
    user = UserFactory(language="zh-hant")
    MembershipFactory(workspace=workspace, user=user, role=Role.OWNER)
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hant"
    panel = refresh_campaign(client, workspace, collaboration).text
    assert "此工作區沒有可讀取這則貼文的 YouTube 連結。" in panel
    assert "No YouTube connection" not in panel
    assert Post.objects.get().error_code == "not_configured"


def test_a_creator_business_discovery_cannot_see_waits_for_their_own_connection(
    alice_client, workspace, collaboration, platforms
):
    # Read through the brand's account: the creator's account is a personal one.
    SocialAccountFactory(creator=collaboration.creator, platform="instagram", handle="mei.personal")
    PlatformConnectionFactory(workspace=workspace, platform="instagram", external_id=IG_USER)
    platforms.get(f"{LOOPBACK}/instagram/{IG_USER}").respond(
        400, json=recorded("instagram/error_discovery_unknown_user.json")
    )
    post = PostFactory(
        collaboration=collaboration,
        platform="instagram",
        platform_id=REEL,
        url=f"https://www.instagram.com/reel/{REEL}/",
        status=PostStatus.LIVE,
    )
    panel = refresh_campaign(alice_client, workspace, collaboration).text
    assert "1 post cannot be read until a connection is set up:" in panel
    sentence = (
        "Instagram does not show this creator&#x27;s account to other accounts (a personal or "
        "age-restricted account), so not even its public counts can be read: the creator can "
        "connect their own account, or report the post&#x27;s figures in the creator portal."
    )
    assert f"{sentence} (1)" in panel
    assert sentence in rows(panel)[post.url]
    post.refresh_from_db()
    assert (post.status, post.error_code, post.gone_suspected_at) == (
        PostStatus.LIVE,
        "not_discoverable",
        None,
    )
