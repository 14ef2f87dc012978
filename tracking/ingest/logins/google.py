"""Google OAuth for YouTube: the creator's own channel, read with YouTube Data API and YouTube
Analytics read-only scopes (developers.google.com/identity/protocols/oauth2/web-server,
developers.google.com/youtube/v3/docs/channels/list `mine=true`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from tracking.ingest.logins.base import ConnectFailed, Grant, call, expiry, token_of
from tracking.ingest.providers.http import client


class GoogleLogin:
    name: ClassVar[str] = "google"
    service: ClassVar[str] = "Google"
    platforms: ClassVar[tuple[str, ...]] = ("youtube",)
    scopes: ClassVar[tuple[str, ...]] = (
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://www.googleapis.com/auth/yt-analytics.readonly",
    )
    # Access tokens last an hour; the refresh token (asked for with access_type=offline)
    # renews them without the person.
    renew_ahead: ClassVar[timedelta | None] = timedelta(minutes=5)

    def configured(self) -> bool:
        return bool(settings.GOOGLE_CLIENT_ID and settings.GOOGLE_CLIENT_SECRET)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": settings.GOOGLE_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(self.scopes),
            # offline: a refresh token; consent: Google gives one only when asked again.
            "access_type": "offline",
            "prompt": "consent",
            "state": state,
        }
        return f"{settings.GOOGLE_AUTHORIZE_URL}?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> list[Grant]:
        tokens = self._token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )
        channel = self._own_channel(token_of(tokens, self.service))
        snippet = channel.get("snippet")
        snippet = snippet if isinstance(snippet, dict) else {}
        handle = str(snippet.get("customUrl") or "").lstrip("@")
        label = str(snippet.get("title") or "") or (f"@{handle}" if handle else channel["id"])
        return [self._grant(tokens, str(channel["id"]), label, handle)]

    def renew(self, *, token: str, refresh_token: str) -> Grant:
        tokens = self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})
        return self._grant(tokens, "", "", "")

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        app = {
            "client_id": settings.GOOGLE_CLIENT_ID,
            "client_secret": settings.GOOGLE_CLIENT_SECRET,
        }
        with client(settings.GOOGLE_TOKEN_URL, platform="youtube") as http:
            return call(http, "POST", "/token", service=self.service, data={**app, **form})

    def _own_channel(self, token: str) -> dict[str, Any]:
        with client(settings.PROVIDER_BASE_URLS["youtube"], platform="youtube") as http:
            body = call(
                http,
                "GET",
                "/channels",
                service=self.service,
                params={"part": "snippet", "mine": "true"},
                token=token,
            )
        items = body.get("items")
        channel = items[0] if isinstance(items, list) and items else None
        if not isinstance(channel, dict) or not channel.get("id"):
            raise ConnectFailed(_("This Google account has no YouTube channel."))
        return channel

    def _grant(self, tokens: dict[str, Any], channel_id: str, label: str, handle: str) -> Grant:
        return Grant(
            platform="youtube",
            external_id=channel_id,
            label=label,
            token=token_of(tokens, self.service),
            # Google sends a refresh token with the first grant only; a renewal keeps the old.
            refresh_token=str(tokens.get("refresh_token", "")),
            expires_at=expiry(tokens.get("expires_in")),
            scopes=str(tokens.get("scope", "")) or " ".join(self.scopes),
            username=handle,
        )
