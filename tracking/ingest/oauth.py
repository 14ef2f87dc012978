"""OAuth connect flows: Facebook Login (Instagram professional accounts and Pages), TikTok
Login Kit and Threads' own login, written to their documentation (PLATFORMS.md §2.8 and §3.1;
Threads: developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions and
…/long-lived-tokens).

The views own the browser redirects and the state; this module speaks to the platforms and
turns their answers into Grants (one per connected account), or raises ConnectFailed with a
reason a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kolhub.redaction import redact
from tracking.ingest.providers.base import ProviderError
from tracking.ingest.providers.http import as_count, client, json_object, send

META_SCOPES = (
    "instagram_basic",
    "instagram_manage_insights",
    # Reads the comments on the account's own media for the authenticity score's comment
    # sample (texts only); Facebook Login has no read-only comments permission.
    "instagram_manage_comments",
    "pages_show_list",
    "pages_read_engagement",
    "business_management",
)
TIKTOK_SCOPES = ("user.info.basic", "user.info.stats", "video.list")
THREADS_SCOPES = ("threads_basic", "threads_manage_insights")
OAUTH_PLATFORMS = ("instagram", "tiktok", "threads")  # Facebook Pages come with Instagram's
# How long before a token lapses it is renewed: TikTok's access tokens last hours; Threads'
# long-lived ones last 60 days and may be renewed once a day old, so a week ahead leaves a
# rarely pulled connection time to renew.
RENEW_AHEAD = {"tiktok": timedelta(minutes=5), "threads": timedelta(days=7)}


class ConnectFailed(Exception):
    """The flow could not finish; the message is for the person connecting."""


@dataclass(frozen=True)
class Grant:
    platform: str
    external_id: str
    label: str
    token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: str = ""


def app_configured(platform: str) -> bool:
    if platform == "tiktok":
        return bool(settings.TIKTOK_CLIENT_KEY and settings.TIKTOK_CLIENT_SECRET)
    if platform == "threads":
        return bool(settings.THREADS_APP_ID and settings.THREADS_APP_SECRET)
    return bool(settings.META_APP_ID and settings.META_APP_SECRET)


def authorize_url(platform: str, *, state: str, redirect_uri: str) -> str:
    """Where to send the browser to ask the account's owner for access."""
    if platform == "tiktok":
        query = {
            "client_key": settings.TIKTOK_CLIENT_KEY,
            "scope": ",".join(TIKTOK_SCOPES),
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{settings.TIKTOK_AUTHORIZE_URL}?{urlencode(query)}"
    if platform == "threads":
        query = {
            "client_id": settings.THREADS_APP_ID,
            "redirect_uri": redirect_uri,
            "scope": ",".join(THREADS_SCOPES),
            "response_type": "code",
            "state": state,
        }
        return f"{settings.THREADS_AUTHORIZE_URL}?{urlencode(query)}"
    query = {
        "client_id": settings.META_APP_ID,
        "redirect_uri": redirect_uri,
        "state": state,
        "scope": ",".join(META_SCOPES),
        "response_type": "code",
    }
    return f"{settings.FACEBOOK_DIALOG_URL}?{urlencode(query)}"


def exchange(platform: str, *, code: str, redirect_uri: str) -> list[Grant]:
    try:
        if platform == "tiktok":
            return tiktok_exchange(code=code, redirect_uri=redirect_uri)
        if platform == "threads":
            return threads_exchange(code=code, redirect_uri=redirect_uri)
        return meta_exchange(code=code, redirect_uri=redirect_uri)
    except ProviderError as exc:  # network trouble or a broken body
        raise ConnectFailed(
            _("The platform could not be reached: %(detail)s") % {"detail": exc.detail}
        ) from exc


def renewal_due(platform: str, *, expires_at: datetime | None, refresh_token: str) -> bool:
    """Whether a connection's token is to be renewed before it is used."""
    ahead = RENEW_AHEAD.get(platform)
    if ahead is None or expires_at is None or expires_at > timezone.now() + ahead:
        return False
    # TikTok renews with its refresh token; Threads with the long-lived token itself.
    return platform != "tiktok" or bool(refresh_token)


def renew(platform: str, *, token: str, refresh_token: str) -> Grant:
    """A fresh token for a connection renewal_due() named: ConnectFailed if refused, a
    ProviderError (retried later) if the platform could not be reached."""
    if platform == "tiktok":
        return tiktok_refresh(refresh_token)
    return threads_refresh(token)


# Facebook Login ------------------------------------------------------------------------------


def meta_exchange(*, code: str, redirect_uri: str) -> list[Grant]:
    """Code → short-lived user token → long-lived token → the Pages and the Instagram
    professional accounts linked to them. Page tokens from a long-lived user token do not
    expire, so they are what the connections keep."""
    app = {"client_id": settings.META_APP_ID, "client_secret": settings.META_APP_SECRET}
    with client(settings.PROVIDER_BASE_URLS["facebook"], platform="facebook") as http:
        short = _graph(
            http, "/oauth/access_token", {**app, "redirect_uri": redirect_uri, "code": code}
        )
        long = _graph(
            http,
            "/oauth/access_token",
            {**app, "grant_type": "fb_exchange_token", "fb_exchange_token": short["access_token"]},
        )
        pages = _graph(
            http,
            "/me/accounts",
            {"fields": "id,name,access_token,instagram_business_account{id,username}"},
            token=long["access_token"],
        )
    grants = [grant for page in pages.get("data", []) for grant in _page_grants(page)]
    if not grants:
        raise ConnectFailed(
            _("No Facebook Page was shared. Choose at least one Page (with its Instagram account).")
        )
    return grants


def _page_grants(page: Any) -> list[Grant]:
    if not isinstance(page, dict) or not page.get("access_token") or not page.get("id"):
        return []
    scopes = ",".join(META_SCOPES)
    grants = [
        Grant(
            "facebook",
            str(page["id"]),
            str(page.get("name", "")),
            page["access_token"],
            scopes=scopes,
        )
    ]
    instagram = page.get("instagram_business_account")
    if isinstance(instagram, dict) and instagram.get("id"):
        label = f"@{instagram['username']}" if instagram.get("username") else str(instagram["id"])
        grants.append(
            Grant("instagram", str(instagram["id"]), label, page["access_token"], scopes=scopes)
        )
    return grants


def _graph(
    http: httpx.Client, path: str, params: dict[str, str], *, token: str = ""
) -> dict[str, Any]:
    """A Graph call. A token goes in the Authorization header; the token exchanges are
    documented as GETs with client_secret, code and fb_exchange_token in the query, so those
    stay there, and the log filter (kolhub.redaction) hides them in the request's log line."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = send(http, "GET", path, params=params, headers=headers)
    body = json_object(response)
    if response.status_code != 200 or "error" in body:
        error = body.get("error")
        error = error if isinstance(error, dict) else {}
        reason = str(error.get("message") or f"HTTP {response.status_code}")
        raise ConnectFailed(
            _("Facebook refused the connection: %(reason)s")
            % {"reason": redact(reason, [*_secrets(params), token])}
        )
    return body


def _secrets(params: dict[str, str]) -> list[str]:
    """The values a platform's error message must not be allowed to echo."""
    names = ("client_secret", "code", "fb_exchange_token", "refresh_token", "access_token")
    return [params.get(name, "") for name in names]


# TikTok Login Kit ----------------------------------------------------------------------------


def tiktok_exchange(*, code: str, redirect_uri: str) -> list[Grant]:
    tokens = _tiktok_token(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    )
    label = _tiktok_display_name(tokens["access_token"]) or str(tokens.get("open_id", ""))
    return [_tiktok_grant(tokens, label)]


def tiktok_refresh(refresh_token: str) -> Grant:
    """A new access token (and, since TikTok rotates them, a new refresh token)."""
    tokens = _tiktok_token({"grant_type": "refresh_token", "refresh_token": refresh_token})
    return _tiktok_grant(tokens, "")


def _tiktok_token(form: dict[str, str]) -> dict[str, Any]:
    app = {"client_key": settings.TIKTOK_CLIENT_KEY, "client_secret": settings.TIKTOK_CLIENT_SECRET}
    with client(settings.PROVIDER_BASE_URLS["tiktok"], platform="tiktok") as http:
        response = send(
            http,
            "POST",
            "/v2/oauth/token/",
            data={**app, **form},
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    body = json_object(response)
    if response.status_code != 200 or body.get("error") or not body.get("access_token"):
        reason = str(
            body.get("error_description") or body.get("error") or f"HTTP {response.status_code}"
        )
        reason = redact(reason, _secrets({**app, **form}))
        raise ConnectFailed(_("TikTok refused the connection: %(reason)s") % {"reason": reason})
    return body


def _tiktok_display_name(token: str) -> str:
    with client(settings.PROVIDER_BASE_URLS["tiktok"], platform="tiktok") as http:
        response = send(
            http,
            "GET",
            "/v2/user/info/",
            params={"fields": "open_id,display_name"},
            headers={"Authorization": f"Bearer {token}"},
        )
    if response.status_code != 200:
        return ""
    user = json_object(response).get("data", {})
    user = user.get("user", {}) if isinstance(user, dict) else {}
    return str(user.get("display_name", "")) if isinstance(user, dict) else ""


def _tiktok_grant(tokens: dict[str, Any], label: str) -> Grant:
    now = timezone.now()
    # Lifetimes come from the answer; TikTok's docs disagree on them, so none is assumed.
    expires_in = as_count(tokens.get("expires_in")) or 0
    refresh_in = as_count(tokens.get("refresh_expires_in")) or 0
    return Grant(
        platform="tiktok",
        external_id=str(tokens.get("open_id", "")),
        label=label,
        token=str(tokens["access_token"]),
        refresh_token=str(tokens.get("refresh_token", "")),
        expires_at=now + timedelta(seconds=expires_in) if expires_in else None,
        refresh_expires_at=now + timedelta(seconds=refresh_in) if refresh_in else None,
        scopes=str(tokens.get("scope", "")),
    )


# Threads ----------------------------------------------------------------------------------------


def threads_exchange(*, code: str, redirect_uri: str) -> list[Grant]:
    """Code → short-lived token (an hour) → long-lived token (60 days) → the account's name."""
    app = {"client_id": settings.THREADS_APP_ID, "client_secret": settings.THREADS_APP_SECRET}
    with client(_threads_token_host(), platform="threads") as http:
        short = _threads_call(
            http,
            "POST",
            "/oauth/access_token",
            data={
                **app,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        # Documented as a GET with the secret and the token in the query: no header form.
        long = _threads_call(
            http,
            "GET",
            "/access_token",
            params={
                "grant_type": "th_exchange_token",
                "client_secret": settings.THREADS_APP_SECRET,
                "access_token": short["access_token"],
            },
        )
    with client(settings.PROVIDER_BASE_URLS["threads"], platform="threads") as http:
        me = _threads_call(
            http, "GET", "/me", params={"fields": "id,username"}, token=long["access_token"]
        )
    user_id = str(me.get("id") or short.get("user_id") or "")
    label = f"@{me['username']}" if me.get("username") else user_id
    return [_threads_grant(long, user_id, label)]


def threads_refresh(token: str) -> Grant:
    """The long-lived token renewed for another 60 days (it must be a day old, not expired)."""
    with client(_threads_token_host(), platform="threads") as http:
        tokens = _threads_call(
            http,
            "GET",
            "/refresh_access_token",
            params={"grant_type": "th_refresh_token", "access_token": token},
        )
    return _threads_grant(tokens, "", "")


def _threads_token_host() -> str:
    """The token endpoints are documented on the bare host (graph.threads.net/access_token),
    the API on a versioned path: the configured API URL without its version."""
    return re.sub(r"/v\d+(\.\d+)?/?$", "", settings.PROVIDER_BASE_URLS["threads"])


def _threads_call(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    token: str = "",
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = send(http, method, path, params=params, data=data, headers=headers)
    body = json_object(response)
    if response.status_code != 200 or "error" in body:
        error = body.get("error")
        error = error if isinstance(error, dict) else {}
        reason = str(error.get("message") or f"HTTP {response.status_code}")
        secrets = [*_secrets(params or {}), *_secrets(data or {}), token]
        raise ConnectFailed(
            _("Threads refused the connection: %(reason)s") % {"reason": redact(reason, secrets)}
        )
    if path != "/me" and not body.get("access_token"):
        raise ConnectFailed(
            _("Threads refused the connection: %(reason)s") % {"reason": _("no token returned")}
        )
    return body


def _threads_grant(tokens: dict[str, Any], external_id: str, label: str) -> Grant:
    expires_in = as_count(tokens.get("expires_in")) or 0
    return Grant(
        platform="threads",
        external_id=external_id,
        label=label,
        token=str(tokens["access_token"]),
        expires_at=timezone.now() + timedelta(seconds=expires_in) if expires_in else None,
        scopes=",".join(THREADS_SCOPES),
    )
