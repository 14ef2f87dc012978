"""Instagram Login (the Instagram API with Instagram Login): a professional account's own
token, good on graph.instagram.com only, with no Facebook Page needed (PLATFORMS.md §2.1, §2.8;
developers.facebook.com/documentation/instagram-platform/instagram-api-with-instagram-login/
business-login, …/reference/access_token, …/reference/refresh_access_token)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings

from tracking.ingest.logins.base import (
    Grant,
    call,
    long_lived_grant,
    long_lived_renewal,
    token_of,
    unversioned,
)
from tracking.ingest.providers.http import client


class InstagramLogin:
    name: ClassVar[str] = "instagram"
    service: ClassVar[str] = "Instagram"
    platforms: ClassVar[tuple[str, ...]] = ("instagram",)
    scopes: ClassVar[tuple[str, ...]] = (
        "instagram_business_basic",
        "instagram_business_manage_insights",
        # For the comment sample of the authenticity score (texts only; nothing is managed).
        "instagram_business_manage_comments",
    )
    # Long-lived tokens last 60 days and may be renewed once a day old: a week ahead leaves a
    # rarely read account time to renew.
    renew_ahead: ClassVar[timedelta | None] = timedelta(days=7)

    def configured(self) -> bool:
        return bool(settings.INSTAGRAM_APP_ID and settings.INSTAGRAM_APP_SECRET)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": settings.INSTAGRAM_APP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": ",".join(self.scopes),
            "state": state,
        }
        return f"{settings.INSTAGRAM_AUTHORIZE_URL}?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> list[Grant]:
        """Code → short-lived token (an hour) → long-lived token (60 days) → the account."""
        with client(settings.INSTAGRAM_TOKEN_URL, platform="instagram") as http:
            short = call(
                http,
                "POST",
                "/oauth/access_token",
                service=self.service,
                data={
                    "client_id": settings.INSTAGRAM_APP_ID,
                    "client_secret": settings.INSTAGRAM_APP_SECRET,
                    "grant_type": "authorization_code",
                    "redirect_uri": redirect_uri,
                    "code": code,
                },
            )
        with client(_token_host(), platform="instagram") as http:
            # Documented as a GET with the secret and the token in the query.
            long = call(
                http,
                "GET",
                "/access_token",
                service=self.service,
                params={
                    "grant_type": "ig_exchange_token",
                    "client_secret": settings.INSTAGRAM_APP_SECRET,
                    "access_token": token_of(_first(short), self.service),
                },
            )
        token = token_of(long, self.service)
        with client(settings.PROVIDER_BASE_URLS["instagram_login"], platform="instagram") as http:
            # user_id is the professional account's ID the API's other endpoints take; id is
            # app-scoped.
            me = call(
                http,
                "GET",
                "/me",
                service=self.service,
                params={"fields": "user_id,username"},
                token=token,
            )
        username = str(me.get("username") or "")
        account_id = str(me.get("user_id") or me.get("id") or "")
        return [long_lived_grant(self, long, account_id=account_id, username=username)]

    def renew(self, *, token: str, refresh_token: str) -> Grant:
        return long_lived_renewal(
            self, host=_token_host(), grant_type="ig_refresh_token", token=token
        )


def _first(body: dict[str, Any]) -> dict[str, Any]:
    """The code exchange answers {"data": [{access_token, user_id, permissions}]} in the
    current documentation and the bare object in older answers: either is accepted."""
    data = body.get("data")
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return data[0]
    return body


def _token_host() -> str:
    """The token endpoints live on the API host without its version (graph.instagram.com)."""
    return unversioned(settings.PROVIDER_BASE_URLS["instagram_login"])
