"""Writes of the API app: tokens created (the secret returned once), revoked, marked used."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from api.models import TOKEN_PREFIX, ApiScope, ApiToken
from kolhub.models import Workspace

# last_used_at is written at most this often per token: one UPDATE a minute, not one a request.
LAST_USED_EVERY = timedelta(minutes=1)


def token_hash(plain: str) -> str:
    """The stored form of a token: its SHA-256 (a 32-byte random token needs no slow hash)."""
    return hashlib.sha256(plain.encode()).hexdigest()


def api_token_create(
    *,
    workspace: Workspace,
    user: Any,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token of the workspace; returns it and its plain secret, which is never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    known = set(ApiScope.values)
    token = ApiToken.objects.create(
        workspace=workspace,
        name=name.strip()[:80],
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        secret_hash=token_hash(plain),
        scopes=[s for s in ApiScope.values if s in set(scopes) & known],
        created_by=user,
        expires_at=expires_at,
    )
    return token, plain


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once (idempotent: the first revocation time is kept)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken, now: datetime | None = None) -> None:
    """Note that the token was used, at most once a minute."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
