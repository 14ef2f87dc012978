"""Account refresh: followers, daily snapshots and audiences of the creators at work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import respx
import time_machine

from campaigns.models import CampaignStatus
from creators.models import AccountSnapshot, AudienceProfile, SocialAccount
from tests.factories import CollaborationFactory, SocialAccountFactory, WorkspaceFactory
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.accounts import account_posts_record
from tracking.ingest.providers.base import RecentPost
from tracking.ingest.sweeps import accounts_due, accounts_refresh
from tracking.models import AccountPost
from tracking.tasks import refresh_accounts

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CHANNELS = f"{LOOPBACK}/youtube/channels"


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


def at_work(account, status=CampaignStatus.RUNNING):
    CollaborationFactory(
        campaign__workspace=account.workspace, campaign__status=status, creator=account.creator
    )
    return account


@pytest.fixture
def channel(workspace, settings):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    return at_work(
        SocialAccountFactory(
            creator__workspace=workspace,
            platform="youtube",
            handle="anan",
            platform_id="UCuAXFkgsw1L7xaCfnd5JJOw",
            followers=100_000,
        )
    )


def test_only_accounts_at_work_and_not_read_today_are_due(channel, workspace):
    idle = SocialAccountFactory(creator__workspace=workspace, platform="youtube")
    closed = at_work(SocialAccountFactory(creator__workspace=workspace), CampaignStatus.CLOSED)
    fresh = at_work(SocialAccountFactory(creator__workspace=workspace, platform="youtube"))
    SocialAccount.objects.filter(pk=fresh.pk).update(last_refreshed_at=NOW - timedelta(hours=3))
    due = {row[0] for row in accounts_due(now=NOW)}
    assert channel.pk in due
    assert not due & {idle.pk, closed.pk, fresh.pk}


@respx.mock
def test_a_channel_refresh_updates_the_account_and_snapshots_the_day(channel):
    respx.get(CHANNELS).respond(json=recorded("youtube/channels.json"))
    respx.get(CHANNELS.replace("channels", "playlistItems")).respond(
        json=recorded("youtube/playlist_items.json")
    )
    respx.get(CHANNELS.replace("channels", "videos")).respond(json=recorded("youtube/videos.json"))
    respx.get(CHANNELS.replace("channels", "commentThreads")).respond(
        json=recorded("youtube/comment_threads.json")
    )
    report = accounts_refresh()
    assert (report.refreshed, report.failed) == (1, 0)
    channel.refresh_from_db()
    assert channel.followers == 128_000 and channel.posts_count == 412
    assert channel.last_refreshed_at == NOW
    assert AccountSnapshot.objects.get(account=channel).followers == 128_000
    assert channel.creator.__class__.objects.get(pk=channel.creator_id).total_followers == 128_000
    assert accounts_due(now=NOW) == []
    # The channel's latest uploads are kept as its baseline.
    assert sorted(
        AccountPost.objects.filter(account=channel).values_list("platform_id", "views")
    ) == [
        ("9bZkp7q19f0", 120034),
        ("dQw4w9WgXcQ", 48213),
    ]


def test_each_read_replaces_the_list_and_an_empty_read_keeps_it(channel):
    first = (RecentPost("a", NOW, {"likes": 1}), RecentPost("b", NOW, {"likes": 2}))
    account_posts_record(workspace_id=channel.workspace_id, recent={channel.pk: first})
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        account_posts_record(
            workspace_id=channel.workspace_id,
            recent={channel.pk: (RecentPost("b", NOW, {"likes": 5}), RecentPost("c", NOW, {}))},
        )
        account_posts_record(workspace_id=channel.workspace_id, recent={channel.pk: ()})
    rows = AccountPost.objects.filter(account=channel).order_by("platform_id")
    assert [(row.platform_id, row.likes) for row in rows] == [("b", 5), ("c", None)]


@respx.mock
def test_out_of_quota_leaves_the_account_for_the_next_run(channel):
    respx.get(CHANNELS).respond(403, json=recorded("youtube/error_quota_exceeded.json"))
    refresh_accounts.delay()
    channel.refresh_from_db()
    assert channel.followers == 100_000 and channel.last_refreshed_at is None
    assert [row[0] for row in accounts_due(now=NOW)] == [channel.pk]


def test_demo_accounts_grow_with_an_audience_free_refresh():
    demo = WorkspaceFactory(is_demo=True)
    account = at_work(SocialAccountFactory(creator__workspace=demo, platform="instagram"))
    report = accounts_refresh()
    assert report.refreshed == 1
    account.refresh_from_db()
    assert account.followers and AccountSnapshot.objects.filter(account=account).exists()
    assert AccountPost.objects.filter(account=account).count() == 12
    assert not AudienceProfile.objects.exists()


def test_a_workspace_connection_never_reads_its_own_account_as_a_creators(workspace):
    from tests.factories import PlatformConnectionFactory

    tiktok = at_work(SocialAccountFactory(creator__workspace=workspace, platform="tiktok"))
    PlatformConnectionFactory(workspace=workspace, platform="tiktok", account=None)
    report = accounts_refresh()
    assert report.refreshed == 0
    tiktok.refresh_from_db()
    assert tiktok.last_refreshed_at is None
