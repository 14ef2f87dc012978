"""What every login flow shares: the Grant it produces, the refusal it raises, one JSON call."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from kolhub.redaction import redact
from tracking.ingest.providers.http import as_count, client, json_object, send

# Request values a platform's error message must never be allowed to echo into a page or log.
SECRET_NAMES = (
    "client_secret",
    "code",
    "fb_exchange_token",
    "refresh_token",
    "access_token",
    "token",
)


class ConnectFailed(Exception):
    """The flow could not finish; the message is for the person connecting."""


@dataclass(frozen=True)
class Grant:
    """One account a flow gave access to, with its tokens."""

    platform: str
    external_id: str
    label: str
    token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: str = ""
    # The account's handle on the platform (without @), compared with the roster's.
    username: str = ""


class Login(Protocol):
    name: ClassVar[str]  # in the callback URL registered with the platform
    service: ClassVar[str]  # the platform's name, in messages
    platforms: ClassVar[tuple[str, ...]]  # what it connects
    scopes: ClassVar[tuple[str, ...]]
    # How long before the token lapses it is renewed (None: it does not expire or cannot be
    # renewed without the person).
    renew_ahead: ClassVar[timedelta | None]

    def configured(self) -> bool: ...

    def authorize_url(self, *, state: str, redirect_uri: str) -> str: ...

    def exchange(self, *, code: str, redirect_uri: str) -> list[Grant]: ...

    def renew(self, *, token: str, refresh_token: str) -> Grant: ...


def expiry(seconds: Any) -> datetime | None:
    """When a token given `seconds` to live lapses; None when the answer does not say."""
    count = as_count(seconds) or 0
    return timezone.now() + timedelta(seconds=count) if count else None


def call(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    service: str,
    params: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    token: str = "",
) -> dict[str, Any]:
    """One call of a flow: the body as a dict, or ConnectFailed with the platform's reason
    (its secrets taken out). A token goes in the Authorization header; exchanges the platforms
    document with secrets in the query keep them there, and kolhub.redaction hides them in the
    request's log line."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = send(http, method, path, params=params, data=data, headers=headers)
    body = json_object(response)
    if response.status_code != 200 or "error" in body or "error_message" in body:
        secrets = [*_values(params), *_values(data), token]
        raise refused(service, redact(_reason(body, response.status_code), secrets))
    return body


def refused(service: str, reason: str) -> ConnectFailed:
    return ConnectFailed(
        _("%(service)s refused the connection: %(reason)s") % {"service": service, "reason": reason}
    )


def token_of(body: dict[str, Any], service: str) -> str:
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise refused(service, _("no token returned"))
    return token


def long_lived_grant(
    login: Login, tokens: dict[str, Any], *, account_id: str = "", username: str = ""
) -> Grant:
    """A Meta long-lived token (Instagram Login, Threads) as the Grant of one account, named
    by its handle when the platform said it."""
    return Grant(
        platform=login.platforms[0],
        external_id=account_id,
        label=f"@{username}" if username else account_id,
        token=token_of(tokens, login.service),
        expires_at=expiry(tokens.get("expires_in")),
        scopes=",".join(login.scopes),
        username=username,
    )


def long_lived_renewal(login: Login, *, host: str, grant_type: str, token: str) -> Grant:
    """A Meta long-lived token renewed for another 60 days (it must be a day old, unexpired);
    documented as a GET with the token in the query."""
    with client(host, platform=login.platforms[0]) as http:
        tokens = call(
            http,
            "GET",
            "/refresh_access_token",
            service=login.service,
            params={"grant_type": grant_type, "access_token": token},
        )
    return long_lived_grant(login, tokens)


def unversioned(url: str) -> str:
    """An API address without its version: Meta's token endpoints live on the bare host
    (graph.instagram.com/access_token, graph.threads.net/access_token)."""
    return re.sub(r"/v\d+(\.\d+)?/?$", "", url)


def _reason(body: dict[str, Any], status: int) -> str:
    """The platform's own words: Graph nests them in error.message, OAuth servers (TikTok,
    Google) use error and error_description, Instagram's token host error_message."""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("status") or f"HTTP {status}")
    return str(
        body.get("error_description") or body.get("error_message") or error or f"HTTP {status}"
    )


def _values(params: dict[str, str] | None) -> list[str]:
    return [(params or {}).get(name, "") for name in SECRET_NAMES]
