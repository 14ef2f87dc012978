"""`Authorization: Bearer kh_…`: a workspace's API token. The browser session works too
(DRF's SessionAuthentication, CSRF enforced); api.access decides what either may reach."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from api.models import ApiToken
from api.selectors import api_token_by_secret_unscoped
from api.services import api_token_touch


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer kh_…”."))
        try:
            plain = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Unknown API token.")) from None
        token = api_token_by_secret_unscoped(plain)
        now = timezone.now()
        if token is None:
            raise AuthenticationFailed(_("Unknown API token."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This API token was revoked."))
        if token.expires_at is not None and token.expires_at <= now:
            raise AuthenticationFailed(_("This API token has expired."))
        api_token_touch(token=token, now=now)
        return (token.created_by or AnonymousUser(), token)

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class TokenOrSession(BasePermission):
    """A valid token or a signed-in user; what they may reach is api.access's to say."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken) or bool(request.user.is_authenticated)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A workspace API token (kh_…), created in Settings → API.",
        }
