"""The creator portal: private links (no account, only an unguessable token) and the figures
creators report through them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.collaboration import Collaboration
from campaigns.models.deliverables import Deliverable
from campaigns.models.fields import random_upload_path
from kolhub.models import TenantModel


def portal_token() -> str:
    return secrets.token_urlsafe(32)


def portal_expiry():
    return timezone.now() + timedelta(days=120)


class PortalLink(TenantModel):
    """The creator's private link to one collaboration: no account, only this token."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="portal_links",
        verbose_name=_("collaboration"),
    )
    token = models.CharField(max_length=64, unique=True, default=portal_token, editable=False)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hant"
    )
    expires_at = models.DateTimeField(_("expires"), default=portal_expiry)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal link")
        verbose_name_plural = _("portal links")
        ordering = ["collaboration", "-created_at"]

    def __str__(self) -> str:
        return f"{self.collaboration} ({self.expires_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


def insight_screenshot_path(instance: InsightReport, filename: str) -> str:
    return random_upload_path("insights", filename)


class InsightReport(TenantModel):
    """Figures a creator reports for a published deliverable, with the screenshot as proof."""

    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.CASCADE,
        related_name="insights",
        verbose_name=_("deliverable"),
    )
    reach = models.PositiveBigIntegerField(_("reach"), null=True, blank=True)
    impressions = models.PositiveBigIntegerField(_("impressions"), null=True, blank=True)
    views = models.PositiveBigIntegerField(_("views"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("likes"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    saves = models.PositiveBigIntegerField(_("saves"), null=True, blank=True)
    story_views = models.PositiveBigIntegerField(_("story views"), null=True, blank=True)
    link_clicks = models.PositiveBigIntegerField(_("link clicks"), null=True, blank=True)
    screenshot = models.FileField(
        _("screenshot"), upload_to=insight_screenshot_path, blank=True, max_length=200
    )
    by_creator = models.BooleanField(_("reported by the creator"), default=False)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("insight report")
        verbose_name_plural = _("insight reports")
        ordering = ["deliverable", "-reported_at"]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.reported_at:%Y-%m-%d}"
