"""Facebook Login: the Pages a person manages and the Instagram professional accounts tied to
them (PLATFORMS.md §2.1, §2.8). Page tokens taken from a long-lived user token do not expire,
so they are what the connections keep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from tracking.ingest.logins.base import ConnectFailed, Grant, call, token_of
from tracking.ingest.providers.http import client


class FacebookLogin:
    name: ClassVar[str] = "facebook"
    service: ClassVar[str] = "Facebook"
    platforms: ClassVar[tuple[str, ...]] = ("facebook", "instagram")
    scopes: ClassVar[tuple[str, ...]] = (
        "instagram_basic",
        "instagram_manage_insights",
        # Read-only is not offered: the comment sample of the authenticity score needs it.
        "instagram_manage_comments",
        "pages_show_list",
        "pages_read_engagement",
        "read_insights",
        "business_management",
    )
    renew_ahead: ClassVar[timedelta | None] = None

    def configured(self) -> bool:
        return bool(settings.META_APP_ID and settings.META_APP_SECRET)

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        query = {
            "client_id": settings.META_APP_ID,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": ",".join(self.scopes),
            "response_type": "code",
        }
        return f"{settings.FACEBOOK_DIALOG_URL}?{urlencode(query)}"

    def exchange(self, *, code: str, redirect_uri: str) -> list[Grant]:
        """Code → short-lived user token → long-lived token → Pages and their Instagram."""
        app = {"client_id": settings.META_APP_ID, "client_secret": settings.META_APP_SECRET}
        with client(settings.PROVIDER_BASE_URLS["facebook"], platform="facebook") as http:
            short = call(
                http,
                "GET",
                "/oauth/access_token",
                service=self.service,
                params={**app, "redirect_uri": redirect_uri, "code": code},
            )
            long = call(
                http,
                "GET",
                "/oauth/access_token",
                service=self.service,
                params={
                    **app,
                    "grant_type": "fb_exchange_token",
                    "fb_exchange_token": token_of(short, self.service),
                },
            )
            pages = call(
                http,
                "GET",
                "/me/accounts",
                service=self.service,
                params={
                    "fields": "id,name,username,access_token,"
                    "instagram_business_account{id,username}"
                },
                token=token_of(long, self.service),
            )
        data = pages.get("data")
        shared = data if isinstance(data, list) else []
        grants = [g for page in shared if isinstance(page, dict) for g in self._page_grants(page)]
        if not grants:
            raise ConnectFailed(
                _(
                    "No Facebook Page was shared. Choose at least one Page (with its Instagram "
                    "account)."
                )
            )
        return grants

    def renew(self, *, token: str, refresh_token: str) -> Grant:
        raise ConnectFailed(_("A Facebook Page connection is renewed by connecting again."))

    def _page_grants(self, page: dict[str, Any]) -> list[Grant]:
        if not page.get("access_token") or not page.get("id"):
            return []
        scopes = ",".join(self.scopes)
        token = str(page["access_token"])
        grants = [
            Grant(
                "facebook",
                str(page["id"]),
                str(page.get("name", "")),
                token,
                scopes=scopes,
                username=str(page.get("username") or ""),
            )
        ]
        instagram = page.get("instagram_business_account")
        if isinstance(instagram, dict) and instagram.get("id"):
            username = str(instagram.get("username") or "")
            label = f"@{username}" if username else str(instagram["id"])
            grants.append(
                Grant(
                    "instagram",
                    str(instagram["id"]),
                    label,
                    token,
                    scopes=scopes,
                    username=username,
                )
            )
        return grants
