"""OAuth connect flows by name: Facebook Login (Pages and the Instagram accounts tied to them),
Instagram Login, Threads, TikTok Login Kit and Google (YouTube). Each lives in
tracking.ingest.logins; this module picks one and wraps what they share.

The views own the browser redirects and the state; the flows speak to the platforms and turn
their answers into Grants (one per connected account), or raise ConnectFailed with a reason a
person can act on.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracking.ingest.logins.base import ConnectFailed, Grant, Login
from tracking.ingest.logins.facebook import FacebookLogin
from tracking.ingest.logins.google import GoogleLogin
from tracking.ingest.logins.instagram import InstagramLogin
from tracking.ingest.logins.threads import ThreadsLogin
from tracking.ingest.logins.tiktok import TikTokLogin
from tracking.ingest.providers.base import ProviderError

__all__ = [
    "LOGINS",
    "ConnectFailed",
    "Grant",
    "Login",
    "allow_consent_pages",
    "exchange",
    "renew",
    "renewal_due",
]

LOGINS: dict[str, Login] = {
    login.name: login
    for login in (FacebookLogin(), InstagramLogin(), ThreadsLogin(), TikTokLogin(), GoogleLogin())
}


def allow_consent_pages(response: HttpResponse) -> HttpResponse:
    """Let the page's connect forms lead to the platforms' consent pages: browsers hold a form
    to the policy's form-action through its redirects, and a connect form's answer is a
    redirect to the platform (FACEBOOK_DIALOG_URL, INSTAGRAM_AUTHORIZE_URL, …)."""
    origins = sorted(
        {
            f"{parts.scheme}://{parts.netloc}"
            for login in LOGINS.values()
            if login.configured()
            for parts in [urlsplit(login.authorize_url(state="", redirect_uri=""))]
        }
    )
    if origins:
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


def exchange(login: Login, *, code: str, redirect_uri: str) -> list[Grant]:
    try:
        return login.exchange(code=code, redirect_uri=redirect_uri)
    except ProviderError as exc:  # network trouble or a broken body
        raise ConnectFailed(
            _("The platform could not be reached: %(detail)s") % {"detail": exc.detail}
        ) from exc


def renewal_due(login_name: str, *, expires_at: datetime | None, refresh_token: str) -> bool:
    """Whether a connection's token is to be renewed before it is used."""
    login = LOGINS.get(login_name)
    if login is None or login.renew_ahead is None or expires_at is None:
        return False
    if expires_at > timezone.now() + login.renew_ahead:
        return False
    # TikTok and Google renew with a refresh token; Meta's long-lived tokens renew themselves.
    return bool(refresh_token) or login.name in ("instagram", "threads")


def renew(login_name: str, *, token: str, refresh_token: str) -> Grant:
    """A fresh token for a connection renewal_due() named: ConnectFailed if refused, a
    ProviderError (retried later) if the platform could not be reached."""
    return LOGINS[login_name].renew(token=token, refresh_token=refresh_token)
