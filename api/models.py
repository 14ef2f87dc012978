"""API tokens: a workspace's keys for the REST API (/api/v1/), stored as a SHA-256 hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kolhub.models import TenantModel

TOKEN_PREFIX = "kh_"  # noqa: S105 (a marker, not a secret)


class ApiScope(models.TextChoices):
    """What a token may do, read or write per group of resources (docs/api.md)."""

    CREATORS_READ = "creators:read", _("Read creators and their accounts")
    CREATORS_WRITE = "creators:write", _("Create and edit creators")
    CAMPAIGNS_READ = "campaigns:read", _("Read campaigns, collaborations and posts")
    CAMPAIGNS_WRITE = "campaigns:write", _("Add creators to rosters and move collaborations")
    RESULTS_READ = "results:read", _("Read campaign results and conversions")
    IMPORTS_WRITE = "imports:write", _("Import creators from spreadsheets")


class ApiToken(TenantModel):
    """A named key of a workspace; the secret is shown once and kept only as its hash."""

    name = models.CharField(_("name"), max_length=80)
    # The first characters of the token, shown in the list so people can tell keys apart.
    prefix = models.CharField(_("prefix"), max_length=16)
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
