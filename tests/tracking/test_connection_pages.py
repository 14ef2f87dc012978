"""The platform connections page, the YouTube key, and the OAuth flows (recorded answers)."""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
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
from tests.tracking.test_connections import stored_token
from tracking.ingest.logins.threads import token_host
from tracking.ingest.pulls import Batch, credentials_for, pull_batch
from tracking.models import ConnectionKind, ConnectionStatus, PlatformConnection

KEY = "AIzaSyA" + "x" * 32
GRAPH = f"{LOOPBACK}/facebook"
TIKTOK = f"{LOOPBACK}/tiktok"
THREADS = f"{LOOPBACK}/threads"
THREADS_SHORT = "THQVJShortLivedThreadsUserToken1234567890"
THREADS_LONG = "THQVJLongLivedThreadsUserToken0987654321"


@pytest.fixture
def apps(settings):
    settings.META_APP_ID = "1234567890"
    settings.META_APP_SECRET = "meta-app-secret"
    settings.TIKTOK_CLIENT_KEY = "awtiktokclientkey"
    settings.TIKTOK_CLIENT_SECRET = "tiktok-client-secret"
    settings.THREADS_APP_ID = "990602627938098"
    settings.THREADS_APP_SECRET = "threads-app-secret"
    settings.SITE_URL = "https://kolhub.example.com"
    return settings


def start(client, workspace, platform, **data):
    response = client.post(url("connect_start", workspace, platform), data)
    assert response.status_code == 302, response
    query = parse_qs(urlsplit(response["Location"]).query)
    return response, query


def test_the_page_lists_connections_and_what_each_platform_needs(alice_client, workspace):
    PlatformConnectionFactory(workspace=workspace, label="@mountainmist.tea")
    page = alice_client.get(url("connection_list", workspace))
    assert page.status_code == 200
    assert "@mountainmist.tea" in page.text
    assert "META_APP_ID" in page.text and "TIKTOK_CLIENT_KEY" in page.text
    assert "THREADS_APP_ID" in page.text
    assert "IGQVJ" not in page.text  # no token is ever shown


def test_members_below_manager_cannot_see_it(workspace, client):
    member = UserFactory()
    MembershipFactory(workspace=workspace, user=member, role=Role.MEMBER)
    client.force_login(member)
    assert client.get(url("connection_list", workspace)).status_code == 404


def test_a_youtube_key_is_saved_encrypted_and_wakes_waiting_posts(alice_client, workspace):
    waiting = PostFactory(
        collaboration=CollaborationFactory(campaign__workspace=workspace),
        last_error="No youtube connection in this workspace to read its posts",
        next_pull_at=timezone.now() + timedelta(hours=5),
    )
    response = alice_client.post(
        url("youtube_key_add", workspace), {"label": "Agency project", "key": KEY}
    )
    assert response.status_code == 302
    connection = PlatformConnection.objects.get()
    assert (connection.kind, connection.token) == (ConnectionKind.API_KEY, KEY)
    waiting.refresh_from_db()
    assert waiting.next_pull_at <= timezone.now()
    batch = Batch("youtube", workspace.pk, connection.pk, ())
    assert credentials_for(batch).token == KEY


def test_a_malformed_key_is_refused_with_the_reason(alice_client, workspace):
    response = alice_client.post(
        url("youtube_key_add", workspace), {"label": "x", "key": "my-password"}
    )
    assert response.status_code == 422
    assert "starts with “AIza”" in response.text
    assert not PlatformConnection.objects.exists()


def test_without_app_keys_connecting_explains_itself(alice_client, workspace):
    response = alice_client.post(url("connect_start", workspace, "facebook"), follow=True)
    assert "needs the platform app" in response.text


def test_an_unknown_platform_is_404(alice_client, workspace, apps):
    assert alice_client.post(url("connect_start", workspace, "myspace")).status_code == 404


def test_connecting_sends_the_browser_to_the_facebook_dialog(alice_client, workspace, apps):
    response, query = start(alice_client, workspace, "facebook")
    assert response["Location"].startswith("https://www.facebook.com/v24.0/dialog/oauth?")
    assert query["client_id"] == ["1234567890"]
    assert query["redirect_uri"] == ["https://kolhub.example.com/oauth/facebook/callback/"]
    assert "instagram_manage_insights" in query["scope"][0]
    # The comment sample of the authenticity score reads the account's own comments.
    assert "instagram_manage_comments" in query["scope"][0].split(",")
    assert len(query["state"][0]) >= 40


def graph_tokens(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    if params.get("grant_type") == "fb_exchange_token":
        assert params["fb_exchange_token"] == "EAAGm0PX4ZCpsBAShortLivedUserToken"
        return httpx.Response(200, json=recorded("meta/oauth_long_lived_token.json"))
    assert params["code"] == "AQD-code" and params["client_secret"] == "meta-app-secret"
    return httpx.Response(200, json=recorded("meta/oauth_code_token.json"))


@respx.mock
def test_the_facebook_flow_connects_pages_and_their_instagram_accounts(
    alice_client, workspace, apps
):
    respx.get(f"{GRAPH}/oauth/access_token").mock(side_effect=graph_tokens)
    accounts = respx.get(f"{GRAPH}/me/accounts").respond(json=recorded("meta/me_accounts.json"))
    _, query = start(alice_client, workspace, "facebook")
    response = alice_client.get(
        "/oauth/facebook/callback/", {"code": "AQD-code", "state": query["state"][0]}, follow=True
    )
    assert "Connected 3 accounts." in response.text
    sent = accounts.calls.last.request
    assert sent.headers["Authorization"] == "Bearer EAAGm0PX4ZCpsBALongLivedUserToken"
    assert "access_token" not in sent.url.params
    saved = {(c.platform, c.external_id): c for c in PlatformConnection.objects.all()}
    instagram = saved[("instagram", "17841400000000001")]
    assert instagram.label == "@mountainmist.tea"
    assert instagram.token == "EAAGm0PX4ZCpsBAPageTokenMountainMist"
    assert saved[("facebook", "104857600000002")].label == "Lumi Skincare 台灣"
    assert {c.workspace_id for c in saved.values()} == {workspace.pk}


@respx.mock
def test_reconnecting_repairs_the_same_connection(alice_client, workspace, apps):
    broken = PlatformConnectionFactory(
        workspace=workspace,
        platform="instagram",
        external_id="17841400000000001",
        status=ConnectionStatus.NEEDS_RECONNECT,
        token="old",
    )
    respx.get(f"{GRAPH}/oauth/access_token").mock(side_effect=graph_tokens)
    respx.get(f"{GRAPH}/me/accounts").respond(json=recorded("meta/me_accounts.json"))
    _, query = start(alice_client, workspace, "facebook")
    alice_client.get("/oauth/facebook/callback/", {"code": "AQD-code", "state": query["state"][0]})
    broken.refresh_from_db()
    assert broken.status == ConnectionStatus.ACTIVE
    assert broken.token == "EAAGm0PX4ZCpsBAPageTokenMountainMist"


@respx.mock
def test_a_refused_code_is_reported_and_nothing_saved(alice_client, workspace, apps):
    respx.get(f"{GRAPH}/oauth/access_token").respond(
        400, json=recorded("meta/error_code_expired.json")
    )
    _, query = start(alice_client, workspace, "facebook")
    response = alice_client.get(
        "/oauth/facebook/callback/", {"code": "AQD-code", "state": query["state"][0]}, follow=True
    )
    assert "Facebook refused the connection: This authorization code has expired." in response.text
    assert not PlatformConnection.objects.exists()


@respx.mock
def test_sharing_no_page_is_explained(alice_client, workspace, apps):
    respx.get(f"{GRAPH}/oauth/access_token").mock(side_effect=graph_tokens)
    respx.get(f"{GRAPH}/me/accounts").respond(json=recorded("meta/me_accounts_empty.json"))
    _, query = start(alice_client, workspace, "facebook")
    response = alice_client.get(
        "/oauth/facebook/callback/", {"code": "AQD-code", "state": query["state"][0]}, follow=True
    )
    assert "No Facebook Page was shared" in response.text


def test_a_declined_dialog_saves_nothing(alice_client, workspace, apps):
    _, query = start(alice_client, workspace, "facebook")
    response = alice_client.get(
        "/oauth/facebook/callback/",
        {
            "error": "access_denied",
            "error_description": "Permissions error",
            "state": query["state"][0],
        },
        follow=True,
    )
    assert "The connection was not made: Permissions error" in response.text
    assert not PlatformConnection.objects.exists()


@pytest.mark.parametrize("tamper", ["unknown-state", "other-platform", "used-twice"])
def test_a_callback_this_session_did_not_start_is_refused(alice_client, workspace, apps, tamper):
    _, query = start(alice_client, workspace, "facebook")
    state = query["state"][0]
    path = "/oauth/facebook/callback/"
    if tamper == "unknown-state":
        state = "forged"
    elif tamper == "other-platform":
        path = "/oauth/tiktok/callback/"
    else:
        alice_client.get(path, {"error": "access_denied", "state": state})
    response = alice_client.get(path, {"code": "x", "state": state})
    assert response.status_code == 400
    assert "can't be finished" in response.text


def test_a_stale_flow_is_refused(alice_client, workspace, apps):
    _, query = start(alice_client, workspace, "facebook")
    session = alice_client.session
    flow = session["tracking_oauth"][query["state"][0]]
    flow["started"] = (timezone.now() - timedelta(hours=1)).isoformat()
    session.save()
    response = alice_client.get(
        "/oauth/facebook/callback/", {"code": "x", "state": query["state"][0]}
    )
    assert response.status_code == 400


def test_someone_elses_session_cannot_finish_a_flow(alice_client, client, workspace, apps):
    _, query = start(alice_client, workspace, "facebook")
    client.force_login(UserFactory())
    response = client.get("/oauth/facebook/callback/", {"code": "x", "state": query["state"][0]})
    assert response.status_code == 400


def tiktok_token(request: httpx.Request) -> httpx.Response:
    form = parse_qs(request.content.decode())
    assert form["client_key"] == ["awtiktokclientkey"]
    if form["grant_type"] == ["refresh_token"]:
        assert form["refresh_token"] == ["rft.example12345Example12345Example"]
        return httpx.Response(200, json=recorded("tiktok_oauth/token_refreshed.json"))
    assert form["code"] == ["tt-code"]
    return httpx.Response(200, json=recorded("tiktok_oauth/token.json"))


@respx.mock
def test_the_tiktok_flow_connects_the_chosen_creator_account_and_renews_its_token(
    alice_client, workspace, apps
):
    account = SocialAccountFactory(creator__workspace=workspace, platform="tiktok", handle="anan")
    respx.post(f"{TIKTOK}/v2/oauth/token/").mock(side_effect=tiktok_token)
    respx.get(f"{TIKTOK}/v2/user/info/").respond(json=recorded("tiktok_oauth/user_info.json"))
    response, query = start(alice_client, workspace, "tiktok", account=account.pk)
    assert response["Location"].startswith("https://www.tiktok.com/v2/auth/authorize/?")
    assert query["client_key"] == ["awtiktokclientkey"]
    alice_client.get("/oauth/tiktok/callback/", {"code": "tt-code", "state": query["state"][0]})
    connection = PlatformConnection.objects.get()
    assert connection.account == account and connection.label == "小安 Anan"
    assert connection.external_id == "afd97af1-b87b-48b9-ac98-410aghda5344"
    assert connection.expires_at > timezone.now() + timedelta(hours=23)
    # An access token about to lapse is renewed (and the refresh token rotated) before a pull.
    PlatformConnection.objects.filter(pk=connection.pk).update(expires_at=timezone.now())
    credentials = credentials_for(Batch("tiktok", workspace.pk, connection.pk, ()))
    assert credentials.token == "act.rotated67890Rotated67890Rotated"
    connection.refresh_from_db()
    assert connection.refresh_token == "rft.rotated67890Rotated67890Rotated"


@respx.mock
def test_a_refused_tiktok_code_is_reported(alice_client, workspace, apps):
    respx.post(f"{TIKTOK}/v2/oauth/token/").respond(
        400, json=recorded("tiktok_oauth/token_invalid_grant.json")
    )
    _, query = start(alice_client, workspace, "tiktok")
    response = alice_client.get(
        "/oauth/tiktok/callback/", {"code": "tt-code", "state": query["state"][0]}, follow=True
    )
    assert "TikTok refused the connection: Authorization code is expired." in response.text


def test_another_workspaces_account_cannot_be_chosen(alice_client, workspace, apps):
    stranger = SocialAccountFactory(platform="tiktok")
    response = alice_client.post(
        url("connect_start", workspace, "tiktok"), {"account": stranger.pk}
    )
    assert response.status_code == 404


def test_disconnecting_forgets_the_tokens(alice_client, workspace):
    connection = PlatformConnectionFactory(workspace=workspace, refresh_token="r")
    alice_client.post(url("connection_disconnect", workspace, connection.pk))
    connection.refresh_from_db()
    assert (connection.status, connection.token, connection.refresh_token) == (
        ConnectionStatus.DISCONNECTED,
        "",
        "",
    )


def test_it_shows_the_quota_each_youtube_key_used_today(alice_client, workspace, settings):
    from tracking.ingest.quota import quota_spend

    settings.YOUTUBE_API_KEY = "AIzaSyA-server-wide-key"
    settings.YOUTUBE_DAILY_QUOTA = 10_000
    own = PlatformConnectionFactory(
        workspace=workspace, platform="youtube", kind=ConnectionKind.API_KEY, token=KEY
    )
    PlatformConnectionFactory(
        workspace=workspace,
        platform="youtube",
        kind=ConnectionKind.API_KEY,
        label="Spare key",
        token="AIzaSyA" + "y" * 32,
    )
    quota_spend(platform="youtube", token=KEY, units=2_345, limit=10_000)
    quota_spend(platform="youtube", token=settings.YOUTUBE_API_KEY, units=120, limit=10_000)
    page = html.unescape(alice_client.get(url("connection_list", workspace)).text)
    assert f'id="quota-{own.pk}"' in page
    assert "2,345 of 10,000 units used today" in page
    assert "0 of 10,000 units used today" in page  # the spare key
    assert "The server's key: 120 of 10,000 units used today" in page
    assert KEY not in page


def test_a_broken_connection_says_why_in_words_with_the_platform_s_own_for_staff(
    alice_client, workspace
):
    PlatformConnectionFactory(
        workspace=workspace,
        status=ConnectionStatus.NEEDS_RECONNECT,
        error_code="auth_expired",
        last_error="Instagram HTTP 400 code 190/463: Error validating access token",
    )
    page = html.unescape(alice_client.get(url("connection_list", workspace)).text)
    assert "Instagram no longer accepts the connection's sign-in" in page
    assert 'title="The platform said: Instagram HTTP 400 code 190/463' in page


def test_a_connection_broken_before_codes_existed_reads_the_same(alice_client, workspace):
    PlatformConnectionFactory(
        workspace=workspace,
        status=ConnectionStatus.NEEDS_RECONNECT,
        last_error="Instagram HTTP 400 code 190/463: Error validating access token",
    )
    page = html.unescape(alice_client.get(url("connection_list", workspace)).text)
    assert "Instagram no longer accepts the connection's sign-in" in page


# Threads ----------------------------------------------------------------------------------------


def threads_code_token(request: httpx.Request) -> httpx.Response:
    form = parse_qs(request.content.decode())
    assert form["grant_type"] == ["authorization_code"] and form["code"] == ["th-code"]
    assert form["client_id"] == ["990602627938098"]
    assert form["client_secret"] == ["threads-app-secret"]
    assert form["redirect_uri"] == ["https://kolhub.example.com/oauth/threads/callback/"]
    return httpx.Response(200, json=recorded("threads_oauth/code_token.json"))


def threads_long_token(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    assert params["grant_type"] == "th_exchange_token"
    assert params["client_secret"] == "threads-app-secret"
    assert params["access_token"] == THREADS_SHORT
    return httpx.Response(200, json=recorded("threads_oauth/long_lived_token.json"))


def threads_connection(workspace, *, lapses_in: timedelta) -> PlatformConnection:
    return PlatformConnectionFactory(
        workspace=workspace,
        platform="threads",
        external_id="17841400000000123",
        token=THREADS_LONG,
        expires_at=timezone.now() + lapses_in,
    )


def test_it_sends_the_browser_to_threads_to_ask_for_access(alice_client, workspace, apps):
    response, query = start(alice_client, workspace, "threads")
    assert response["Location"].startswith("https://threads.net/oauth/authorize?")
    assert query["client_id"] == ["990602627938098"]
    assert query["redirect_uri"] == ["https://kolhub.example.com/oauth/threads/callback/"]
    assert query["scope"] == ["threads_basic,threads_manage_insights"]
    assert query["response_type"] == ["code"]
    assert len(query["state"][0]) >= 40


def test_it_explains_what_threads_needs_when_its_app_is_not_set(alice_client, workspace):
    page = alice_client.get(url("connection_list", workspace))
    assert "THREADS_APP_ID" in page.text and "THREADS_APP_SECRET" in page.text
    response = alice_client.post(url("connect_start", workspace, "threads"), follow=True)
    assert "needs the platform app" in response.text


@respx.mock
def test_it_connects_a_threads_account_with_a_long_lived_token(alice_client, workspace, apps):
    account = SocialAccountFactory(
        creator__workspace=workspace, platform="threads", handle="mountainmist.tea"
    )
    respx.post(f"{THREADS}/oauth/access_token").mock(side_effect=threads_code_token)
    respx.get(f"{THREADS}/access_token").mock(side_effect=threads_long_token)
    me = respx.get(f"{THREADS}/me").respond(json=recorded("threads_oauth/me.json"))
    _, query = start(alice_client, workspace, "threads", account=account.pk)
    alice_client.get("/oauth/threads/callback/", {"code": "th-code", "state": query["state"][0]})
    connection = PlatformConnection.objects.get()
    assert (connection.platform, connection.kind) == ("threads", ConnectionKind.OAUTH)
    assert connection.external_id == "17841400000000123"
    assert connection.label == "@mountainmist.tea" and connection.account == account
    assert connection.token == THREADS_LONG
    assert connection.expires_at > timezone.now() + timedelta(days=59)
    assert connection.login == "threads"
    # The label is asked with the token in a header, not in the address.
    assert me.calls.last.request.headers["Authorization"] == f"Bearer {THREADS_LONG}"
    assert "access_token" not in str(me.calls.last.request.url)
    raw = stored_token(connection.pk)
    assert THREADS_LONG not in raw and raw.startswith("gAAAA")


@respx.mock
def test_it_reports_a_refused_threads_code_and_saves_nothing(alice_client, workspace, apps, caplog):
    respx.post(f"{THREADS}/oauth/access_token").respond(
        400, json=recorded("threads_oauth/error_code_used.json")
    )
    _, query = start(alice_client, workspace, "threads")
    response = alice_client.get(
        "/oauth/threads/callback/",
        {"code": "th-code", "state": query["state"][0]},
        follow=True,
    )
    assert "Threads refused the connection: Error validating verification code" in (
        html.unescape(response.text)
    )
    assert not PlatformConnection.objects.exists()
    assert "threads-app-secret" not in caplog.text


@respx.mock
def test_it_renews_an_expiring_threads_token_before_a_pull(workspace):
    connection = threads_connection(workspace, lapses_in=timedelta(days=3))
    renewal = respx.get(f"{THREADS}/refresh_access_token").respond(
        json=recorded("threads_oauth/refreshed_token.json")
    )
    credentials = credentials_for(Batch("threads", workspace.pk, connection.pk, ()))
    assert credentials.token == "THQVJRefreshedThreadsUserToken1122334455"
    assert renewal.calls.last.request.url.params["grant_type"] == "th_refresh_token"
    connection.refresh_from_db()
    assert connection.expires_at > timezone.now() + timedelta(days=59)
    # A token far from lapsing is used as it is.
    assert credentials_for(Batch("threads", workspace.pk, connection.pk, ())).token == (
        "THQVJRefreshedThreadsUserToken1122334455"
    )
    assert renewal.call_count == 1


@respx.mock
def test_it_keeps_the_threads_token_out_of_errors_and_logs_when_renewal_fails(workspace, caplog):
    caplog.set_level("DEBUG")
    post = PostFactory(
        collaboration=CollaborationFactory(campaign__workspace=workspace),
        platform="threads",
        platform_id="3141592653589793",
    )
    connection = threads_connection(workspace, lapses_in=timedelta(hours=1))
    respx.get(f"{THREADS}/refresh_access_token").respond(
        400, json=recorded("threads_oauth/error_refresh_echo.json")
    )
    pull_batch(Batch("threads", workspace.pk, connection.pk, (post.pk,)))
    post.refresh_from_db()
    connection.refresh_from_db()
    assert "Session has expired" in post.last_error
    assert connection.status == ConnectionStatus.NEEDS_RECONNECT
    for text in (post.last_error, connection.last_error, caplog.text):
        assert THREADS_LONG not in text


def test_threads_tokens_are_asked_for_on_the_bare_host_as_documented(settings):
    settings.PROVIDER_BASE_URLS = {
        **settings.PROVIDER_BASE_URLS,
        "threads": "https://graph.threads.net/v1.0",
    }
    assert token_host() == "https://graph.threads.net"
