"""TikTok Login Kit (PLATFORMS.md §3.1; developers.tiktok.com/doc/oauth-user-access-token-
management, …/tiktok-api-v2-get-user-info)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings

from tracking.ingest.logins.base import Grant, call, expiry, token_of
from tracking.ingest.providers.http import client, json_object, send


class TikTokLogin:
    name: ClassVar[str] = "tiktok"
    service: ClassVar[str] = "TikTok"
    platforms: ClassVar[tuple[str, ...]] = ("tiktok",)
    # user.info.profile gives the username the roster's handle is checked against.
    scopes: ClassVar[tuple[str, ...]] = (
        "user.info.basic",
        "user.info.profile",
        "user.info.stats",
        "video.list",
    )
    # Access tokens last hours; the refresh token renews them (and is itself rotated).
    renew_ahead: ClassVar[timedelta | None] = timedelta(minutes=5)

    def configured(self) -> bool:
        return bool(settings.TIKTOK_CLIENT_KEY and settings.TIKTOK_CLIENT_SECRET)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_key": settings.TIKTOK_CLIENT_KEY,
            "scope": ",".join(self.scopes),
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{settings.TIKTOK_AUTHORIZE_URL}?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> list[Grant]:
        tokens = self._token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )
        user = _user(token_of(tokens, self.service))
        username = str(user.get("username") or "")
        label = str(user.get("display_name") or "") or username or str(tokens.get("open_id", ""))
        return [self._grant(tokens, label, username)]

    def renew(self, *, token: str, refresh_token: str) -> Grant:
        """A new access token (and, since TikTok rotates them, a new refresh token)."""
        return self._grant(
            self._token({"grant_type": "refresh_token", "refresh_token": refresh_token}), "", ""
        )

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        app = {
            "client_key": settings.TIKTOK_CLIENT_KEY,
            "client_secret": settings.TIKTOK_CLIENT_SECRET,
        }
        with client(settings.PROVIDER_BASE_URLS["tiktok"], platform="tiktok") as http:
            return call(
                http, "POST", "/v2/oauth/token/", service=self.service, data={**app, **form}
            )

    def _grant(self, tokens: dict[str, Any], label: str, username: str) -> Grant:
        # Lifetimes come from the answer; TikTok's docs disagree on them, so none is assumed.
        return Grant(
            platform="tiktok",
            external_id=str(tokens.get("open_id", "")),
            label=label,
            token=token_of(tokens, self.service),
            refresh_token=str(tokens.get("refresh_token", "")),
            expires_at=expiry(tokens.get("expires_in")),
            refresh_expires_at=expiry(tokens.get("refresh_expires_in")),
            scopes=str(tokens.get("scope", "")),
            username=username,
        )


def _user(token: str) -> dict[str, Any]:
    """The connected user's names; {} when TikTok does not say (the grant stands, the roster
    check then has only the open_id to go by). TikTok's envelope always carries an `error`
    object (code "ok" on success), so it is read here rather than through call()."""
    with client(settings.PROVIDER_BASE_URLS["tiktok"], platform="tiktok") as http:
        response = send(
            http,
            "GET",
            "/v2/user/info/",
            params={"fields": "open_id,display_name,username"},
            headers={"Authorization": f"Bearer {token}"},
        )
    if response.status_code != 200:
        return {}
    data = json_object(response).get("data")
    user = data.get("user") if isinstance(data, dict) else None
    return user if isinstance(user, dict) else {}
