"""Creators connect their own accounts from the portal: end to end against a local stand-in of
the platforms (tests/standin.py), a real HTTP server speaking their OAuth and read protocols.

Each login goes the whole way: the portal's button, the platform's consent page, the code
exchanged for tokens, the account checked against the roster, then the reads with the token
(insights, audience), its renewal, a revoked grant, throttling, a deleted object and the
creator's disconnect.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.utils import timezone

from creators.models import AudienceProfile
from kolhub.models import Notification
from tests.factories import (
    CollaborationFactory,
    PortalLinkFactory,
    PostFactory,
    SocialAccountFactory,
)
from tests.tracking.portal_flow import (
    SITE,
    account,
    connect,
    portal,
    pull,
)
from tests.tracking.test_connections import stored_token
from tracking.ingest.accounts import refresh_batch
from tracking.ingest.providers.base import ErrorCode
from tracking.ingest.pulls import RECHECK_AFTER, Batch, credentials_for
from tracking.ingest.upkeep import connections_upkeep
from tracking.models import (
    ConnectionStatus,
    MetricSnapshot,
    PlatformConnection,
    Post,
    PostStatus,
)


def test_the_portal_lists_the_creators_accounts_with_what_each_shares(
    client, standin, link, collaboration
):
    account(collaboration, "instagram", "xiaoan.daily")
    account(collaboration, "blog", "xiaoan.tw")  # nothing to connect there
    page = client.get(portal(link))
    assert page.status_code == 200
    assert "@xiaoan.daily" in page.text and "xiaoan.tw" not in page.text
    assert "Connect with Instagram" in page.text
    assert "connect with Facebook" in page.text  # for accounts tied to a Page
    assert "never who wrote them" in page.text
    assert page["Referrer-Policy"] == "same-origin"
    # A connect form's answer redirects to the platform: the policy must let the form go there.
    form_action = next(
        part for part in page["Content-Security-Policy"].split(";") if "form-action" in part
    )
    assert standin.url in form_action and "'self'" in form_action


def test_the_portal_speaks_the_creators_language(client, standin, collaboration):
    link = PortalLinkFactory(collaboration=collaboration, language="zh-hant")
    account(collaboration, "instagram", "xiaoan.daily")
    assert "您的帳號" in client.get(portal(link)).text


def test_instagram_login_connects_the_creators_own_account_and_reads_with_it(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    page = connect(client, link, ig, "instagram")
    assert "Connected: @xiaoan.daily" in page.text
    connection = PlatformConnection.objects.get()
    assert (connection.login, connection.account, connection.portal_link) == ("instagram", ig, link)
    assert connection.by_creator and connection.connected_by is None
    assert connection.external_id == "17841405822304914"
    assert connection.expires_at > timezone.now() + timedelta(days=59)
    assert connection.token.startswith("IGAAl") and "IGAAl" not in stored_token(connection.pk)

    post = PostFactory(
        collaboration=collaboration,
        platform="instagram",
        platform_id="DCx7kQmPa1Z",
        url="https://www.instagram.com/reel/DCx7kQmPa1Z/",
    )
    batch, report = pull(post)
    assert batch.connection_id == connection.pk and report.error is None
    snapshot = MetricSnapshot.objects.get(post=post)
    assert snapshot.views is not None and snapshot.reach is not None

    refreshed, failed = refresh_batch(
        Batch("instagram", link.workspace_id, connection.pk, (ig.pk,))
    )
    assert (refreshed, failed) == (1, 0)
    audience = AudienceProfile.objects.get(account=ig)
    assert audience.source == "api" and audience.age and audience.countries
    assert standin.tokens_in_queries() == []


def test_an_account_that_is_not_the_rosters_is_refused_with_the_reason(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    standin.people["instagram"] = {"user_id": "17841400000000999", "username": "someone.else"}
    page = connect(client, link, ig, "instagram")
    assert "You signed in as @someone.else" in page.text
    assert "@xiaoan.daily" in page.text
    assert not PlatformConnection.objects.exists()


def test_a_creator_who_declines_sees_why_and_nothing_is_saved(client, standin, link, collaboration):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    standin.denied = True
    page = connect(client, link, ig, "instagram")
    assert "The connection was not made: The user denied access" in page.text
    assert not PlatformConnection.objects.exists()


def test_disconnecting_deletes_the_tokens_and_reads_stop_at_once(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    connection = PlatformConnection.objects.get()
    token = connection.token
    page = client.post(portal(link, "portal_disconnect", connection.pk), follow=True)
    assert "Disconnected: @xiaoan.daily" in page.text
    connection.refresh_from_db()
    assert (connection.status, connection.token, connection.refresh_token) == (
        ConnectionStatus.DISCONNECTED,
        "",
        "",
    )
    post = PostFactory(collaboration=collaboration, platform="instagram", platform_id="DCx7kQmPa1Z")
    asked_before = len(standin.seen)
    batch, report = pull(post)
    assert batch.connection_id is None and report.error.code == ErrorCode.NOT_CONFIGURED
    assert len(standin.seen) == asked_before  # nothing was even tried
    assert token not in stored_token(connection.pk)


def test_a_grant_revoked_on_the_platform_deletes_the_token_at_the_next_read(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    standin.revoked.add("instagram")
    post = PostFactory(collaboration=collaboration, platform="instagram", platform_id="DCx7kQmPa1Z")
    _batch, report = pull(post)
    assert report.error.code == ErrorCode.AUTH_EXPIRED
    connection = PlatformConnection.objects.get()
    assert connection.status == ConnectionStatus.NEEDS_RECONNECT and connection.token == ""
    assert "Needs reconnecting" in client.get(portal(link)).text


def test_throttling_postpones_the_posts_and_keeps_the_connection(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    standin.throttled.add("instagram")
    post = PostFactory(collaboration=collaboration, platform="instagram", platform_id="DCx7kQmPa1Z")
    _batch, report = pull(post)
    assert report.error.code == ErrorCode.RATE_LIMITED
    post.refresh_from_db()
    assert post.next_pull_at > timezone.now() and post.error_code == ErrorCode.RATE_LIMITED
    assert PlatformConnection.objects.get().status == ConnectionStatus.ACTIVE


def test_the_creators_own_token_can_tell_a_deleted_post_after_a_second_look(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    standin.deleted.add("18045678901234567")  # the reel's media id
    post = PostFactory(collaboration=collaboration, platform="instagram", platform_id="DCx7kQmPa1Z")
    _batch, report = pull(post)
    assert report.error is None
    post.refresh_from_db()
    assert post.status != PostStatus.DELETED and post.gone_suspected_at is not None
    Post.objects.filter(pk=post.pk).update(
        gone_suspected_at=timezone.now() - RECHECK_AFTER - timedelta(minutes=1)
    )
    pull(post)
    post.refresh_from_db()
    assert post.status == PostStatus.DELETED


def test_an_instagram_login_token_is_renewed_before_it_lapses(client, standin, link, collaboration):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    connection = PlatformConnection.objects.get()
    old = connection.token
    PlatformConnection.objects.filter(pk=connection.pk).update(
        expires_at=timezone.now() + timedelta(days=2)
    )
    credentials = credentials_for(Batch("instagram", link.workspace_id, connection.pk, ()))
    assert credentials.token != old and credentials.base_url.endswith("/instagram/v24.0")
    connection.refresh_from_db()
    assert connection.expires_at > timezone.now() + timedelta(days=59)


def test_facebook_login_binds_only_the_rosters_page(client, standin, link, collaboration):
    page_account = account(collaboration, "facebook", "mountainmist", platform_id="104857600000001")
    page = connect(client, link, page_account, "facebook")
    assert "Connected: 山嵐冷泡茶 Mountain Mist" in page.text
    connection = PlatformConnection.objects.get()  # the other Page shared is not kept
    assert (connection.platform, connection.account, connection.login) == (
        "facebook",
        page_account,
        "facebook",
    )
    post = PostFactory(
        collaboration=collaboration,
        platform="facebook",
        platform_id="104567890123456_872345678901234",
        url="https://www.facebook.com/104857600000001/posts/872345678901234",
    )
    _batch, report = pull(post)
    assert report.error is None and MetricSnapshot.objects.filter(post=post).exists()
    batch = Batch("facebook", link.workspace_id, connection.pk, (page_account.pk,))
    assert refresh_batch(batch) == (1, 0)
    audience = AudienceProfile.objects.get(account=page_account)
    assert audience.source == "api" and "TW" in audience.countries and audience.cities


def test_an_instagram_account_tied_to_a_page_connects_through_facebook(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "mountainmist.tea")
    connect(client, link, ig, "facebook")
    connection = PlatformConnection.objects.get()
    assert (connection.platform, connection.external_id) == ("instagram", "17841400000000001")
    assert connection.login == "facebook" and connection.account == ig


def test_threads_connects_reads_and_renews(client, standin, link, collaboration):
    standin.people["threads"] = {"id": "17841400000000123", "username": "xiaoan.daily"}
    threads = account(collaboration, "threads", "xiaoan.daily")
    connect(client, link, threads, "threads")
    connection = PlatformConnection.objects.get()
    assert (connection.login, connection.account) == ("threads", threads)
    post = PostFactory(collaboration=collaboration, platform="threads", platform_id="DCw3kP9zq1X")
    _batch, report = pull(post)
    assert report.error is None and MetricSnapshot.objects.filter(post=post).exists()
    batch = Batch("threads", link.workspace_id, connection.pk, (threads.pk,))
    assert refresh_batch(batch) == (1, 0)
    audience = AudienceProfile.objects.get(account=threads)
    assert audience.source == "api" and audience.gender and audience.cities
    PlatformConnection.objects.filter(pk=connection.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    renewed = credentials_for(Batch("threads", link.workspace_id, connection.pk, ()))
    assert renewed.token != connection.token
    assert standin.tokens_in_queries() == []


def test_tiktok_connects_reads_and_renews_with_its_rotating_refresh_token(
    client, standin, link, collaboration
):
    tiktok = account(collaboration, "tiktok", "anan")
    connect(client, link, tiktok, "tiktok")
    connection = PlatformConnection.objects.get()
    assert (connection.login, connection.account) == ("tiktok", tiktok)
    post = PostFactory(
        collaboration=collaboration, platform="tiktok", platform_id="7441234567890123456"
    )
    _batch, report = pull(post)
    assert report.error is None and MetricSnapshot.objects.get(post=post).views == 284310
    refresh = connection.refresh_token
    PlatformConnection.objects.filter(pk=connection.pk).update(expires_at=timezone.now())
    credentials_for(Batch("tiktok", link.workspace_id, connection.pk, ()))
    connection.refresh_from_db()
    assert connection.refresh_token != refresh  # the rotated one is kept


def test_youtube_connects_with_google_and_reads_with_the_creators_token(
    client, standin, link, collaboration
):
    youtube = account(collaboration, "youtube", "@xiaoan.daily")
    connect(client, link, youtube, "google")
    connection = PlatformConnection.objects.get()
    assert (connection.login, connection.external_id) == ("google", "UCuAXFkgsw1L7xaCfnd5JJOw")
    assert connection.refresh_token.startswith("1//0g")
    post = PostFactory(collaboration=collaboration, platform="youtube", platform_id="dQw4w9WgXcQ")
    batch, report = pull(post)
    assert batch.connection_id == connection.pk and report.error is None
    assert MetricSnapshot.objects.filter(post=post).exists()
    videos = [r for r in standin.seen if r.path.endswith("/videos")]
    assert videos[-1].bearer == connection.token
    post.refresh_from_db()
    assert post.watch_minutes is not None  # YouTube Analytics, with the creator's grant
    batch = Batch("youtube", link.workspace_id, connection.pk, (youtube.pk,))
    assert refresh_batch(batch) == (1, 0)
    audience = AudienceProfile.objects.get(account=youtube)
    assert audience.source == "api" and audience.age and audience.countries
    # An hour-long access token is renewed with the refresh token before it is used.
    PlatformConnection.objects.filter(pk=connection.pk).update(expires_at=timezone.now())
    renewed = credentials_for(Batch("youtube", link.workspace_id, connection.pk, ()))
    assert renewed.bearer and renewed.token != connection.token
    # Google revokes: the renewal is refused, the tokens go.
    standin.revoked.add("google-refresh")
    PlatformConnection.objects.filter(pk=connection.pk).update(expires_at=timezone.now())
    _batch, report = pull(post)
    assert report.error.code == ErrorCode.AUTH_EXPIRED
    connection.refresh_from_db()
    assert connection.token == "" and connection.status == ConnectionStatus.NEEDS_RECONNECT


def test_a_link_opens_only_its_own_creators_accounts(client, standin, link, collaboration):
    stranger = SocialAccountFactory(creator__workspace=collaboration.workspace, handle="other")
    assert (
        client.post(portal(link, "portal_connect_start", stranger.pk, "instagram")).status_code
        == 404
    )
    others = PlatformConnection.objects.create(
        workspace=collaboration.workspace, platform="instagram", kind="oauth", account=stranger
    )
    assert client.post(portal(link, "portal_disconnect", others.pk)).status_code == 404
    ig = account(collaboration, "instagram", "xiaoan.daily")
    assert client.post(portal(link, "portal_connect_start", ig.pk, "tiktok")).status_code == 404
    assert client.post(portal(link, "portal_connect_start", ig.pk, "myspace")).status_code == 404


def test_a_flow_from_a_revoked_link_or_a_foreign_session_does_not_finish(
    client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    started = client.post(portal(link, "portal_connect_start", ig.pk, "instagram"))
    back = urlsplit(httpx.get(started["Location"]).headers["location"])
    query = dict(parse_qsl(back.query))
    from django.test import Client

    assert Client().get(back.path, query).status_code == 400  # another browser
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(back.path, query).status_code == 410
    assert not PlatformConnection.objects.exists()


def test_staff_see_how_each_creator_account_is_read(
    alice_client, client, standin, link, collaboration
):
    from tests.campaigns import url

    ig = account(collaboration, "instagram", "xiaoan.daily")
    account(collaboration, "tiktok", "anan")
    connect(client, link, ig, "instagram")
    page = alice_client.get(url("connection_list", collaboration.workspace))
    assert "Connected by the creator" in page.text
    assert "Only the creator&#x27;s own connection can read it" in page.text
    assert "The creator, from their portal" in page.text
    title = page.text.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "&lt;" not in title


def test_the_worker_renews_a_token_before_it_lapses_even_without_reads(
    client, standin, link, collaboration
):
    standin.people["threads"] = {"id": "17841400000000123", "username": "xiaoan.daily"}
    threads = account(collaboration, "threads", "xiaoan.daily")
    connect(client, link, threads, "threads")
    connection = PlatformConnection.objects.get()
    PlatformConnection.objects.filter(pk=connection.pk).update(
        expires_at=timezone.now() + timedelta(days=2)
    )
    report = connections_upkeep()
    assert (report.renewed, report.refused) == (1, 0)
    renewed = PlatformConnection.objects.get()
    assert renewed.token != connection.token
    assert renewed.expires_at > timezone.now() + timedelta(days=59)
    assert connections_upkeep().renewed == 0  # far from lapsing now


def test_a_creator_whose_connection_broke_is_asked_once_to_reconnect(
    client, standin, link, collaboration, mailoutbox
):
    collaboration.creator.email = "anan@example.com"
    collaboration.creator.save()
    youtube = account(collaboration, "youtube", "@xiaoan.daily")
    connect(client, link, youtube, "google")
    standin.revoked.add("google-refresh")
    PlatformConnection.objects.update(expires_at=timezone.now())
    report = connections_upkeep()
    assert (report.refused, report.asked) == (1, 1)
    (mail,) = mailoutbox
    assert mail.to == ["anan@example.com"] and "reconnect your YouTube account" in mail.subject
    assert f"{SITE}/p/{link.token}/accounts/" in mail.body
    connection = PlatformConnection.objects.get()
    assert connection.token == "" and connection.reconnect_asked_at is not None
    assert connections_upkeep().asked == 0 and len(mailoutbox) == 1  # once, not daily
    # Reconnecting mends it and a later breakdown is told again.
    standin.revoked.clear()
    connect(client, link, youtube, "google")
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACTIVE and connection.reconnect_asked_at is None


def test_the_connections_page_shows_each_platforms_limit_and_what_waits_for_it(
    alice_client, client, standin, link, collaboration, settings
):
    from tests.campaigns import url

    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    standin.throttled.add("instagram")
    pull(PostFactory(collaboration=collaboration, platform="instagram", platform_id="DCx7kQmPa1Z"))
    page = alice_client.get(url("connection_list", collaboration.workspace))
    limits = page.text.split('id="limits"')[1].split("</section>")[0]
    assert "1 post" in limits and str(settings.PROVIDER_CALLS_PER_MINUTE["tiktok"]) in limits


def test_the_demo_workspace_says_its_accounts_figures_are_generated(
    alice_client, workspace, collaboration
):
    from tests.campaigns import url

    workspace.is_demo = True
    workspace.save()
    account(collaboration, "tiktok", "anan")
    doors = alice_client.get(url("connection_list", workspace)).text.split('id="doors"')[1]
    assert "Demo data" in doors and "Not readable" not in doors


def test_the_owners_hear_when_a_creator_connects_or_disconnects(
    alice, client, standin, link, collaboration
):
    ig = account(collaboration, "instagram", "xiaoan.daily")
    connect(client, link, ig, "instagram")
    connection = PlatformConnection.objects.get()
    client.post(portal(link, "portal_disconnect", connection.pk))
    connected, disconnected = Notification.objects.filter(user=alice).order_by("pk")
    # In the workspace's language (zh-Hant here), not the creator's portal language.
    assert "小安 已連結 Instagram @xiaoan.daily" in connected.message
    assert "小安 已中斷連結 Instagram @xiaoan.daily" in disconnected.message


def accounts_in_current_campaigns(workspace, count: int) -> None:
    for n in range(count):
        collaboration = CollaborationFactory(
            campaign__workspace=workspace, campaign__status="running"
        )
        SocialAccountFactory(creator=collaboration.creator, platform="tiktok", handle=f"t{n}")
        PlatformConnection.objects.create(
            workspace=workspace,
            platform="instagram",
            kind="oauth",
            login="instagram",
            token=f"IGAA{n}",
            account=SocialAccountFactory(creator=collaboration.creator, handle=f"i{n}"),
            portal_link=PortalLinkFactory(collaboration=collaboration),
        )


@pytest.mark.parametrize("count", [2, 20])
def test_the_connections_page_costs_the_same_queries_for_2_or_20_creators(
    alice_client, workspace, count, django_assert_max_num_queries
):
    from tests.campaigns import url

    accounts_in_current_campaigns(workspace, count)
    with django_assert_max_num_queries(11):
        page = alice_client.get(url("connection_list", workspace))
    assert page.text.count("Connected by the creator") >= 1
    assert f"{count} accounts" in page.text


def test_the_portal_accounts_page_costs_the_same_queries_for_1_or_5_accounts(
    client, standin, link, collaboration
):
    def visit() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(portal(link)).status_code == 200
        return len(queries)

    account(collaboration, "instagram", "xiaoan.daily")
    one = visit()
    for platform, handle in [
        ("tiktok", "a"),
        ("threads", "b"),
        ("youtube", "c"),
        ("facebook", "d"),
    ]:
        account(collaboration, platform, handle)
    assert visit() == one
