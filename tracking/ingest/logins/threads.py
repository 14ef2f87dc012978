"""Threads' own login (developers.facebook.com/docs/threads/get-started/
get-access-tokens-and-permissions and …/long-lived-tokens; PLATFORMS.md §4.2)."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar
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


class ThreadsLogin:
    name: ClassVar[str] = "threads"
    service: ClassVar[str] = "Threads"
    platforms: ClassVar[tuple[str, ...]] = ("threads",)
    scopes: ClassVar[tuple[str, ...]] = ("threads_basic", "threads_manage_insights")
    # Long-lived tokens last 60 days and may be renewed once a day old.
    renew_ahead: ClassVar[timedelta | None] = timedelta(days=7)

    def configured(self) -> bool:
        return bool(settings.THREADS_APP_ID and settings.THREADS_APP_SECRET)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": settings.THREADS_APP_ID,
            "redirect_uri": redirect_uri,
            "scope": ",".join(self.scopes),
            "response_type": "code",
            "state": state,
        }
        return f"{settings.THREADS_AUTHORIZE_URL}?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> list[Grant]:
        """Code → short-lived token (an hour) → long-lived token (60 days) → the account."""
        app = {"client_id": settings.THREADS_APP_ID, "client_secret": settings.THREADS_APP_SECRET}
        with client(token_host(), platform="threads") as http:
            short = call(
                http,
                "POST",
                "/oauth/access_token",
                service=self.service,
                data={
                    **app,
                    "grant_type": "authorization_code",
                    "redirect_uri": redirect_uri,
                    "code": code,
                },
            )
            # Documented as a GET with the secret and the token in the query: no header form.
            long = call(
                http,
                "GET",
                "/access_token",
                service=self.service,
                params={
                    "grant_type": "th_exchange_token",
                    "client_secret": settings.THREADS_APP_SECRET,
                    "access_token": token_of(short, self.service),
                },
            )
        token = token_of(long, self.service)
        with client(settings.PROVIDER_BASE_URLS["threads"], platform="threads") as http:
            me = call(
                http,
                "GET",
                "/me",
                service=self.service,
                params={"fields": "id,username"},
                token=token,
            )
        user_id = str(me.get("id") or short.get("user_id") or "")
        username = str(me.get("username") or "")
        return [long_lived_grant(self, long, account_id=user_id, username=username)]

    def renew(self, *, token: str, refresh_token: str) -> Grant:
        """The long-lived token renewed for another 60 days (a day old at least, unexpired)."""
        return long_lived_renewal(
            self, host=token_host(), grant_type="th_refresh_token", token=token
        )


def token_host() -> str:
    return unversioned(settings.PROVIDER_BASE_URLS["threads"])
