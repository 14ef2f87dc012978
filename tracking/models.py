"""The evidence: published posts and their metrics over time."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from creators.models import Platform
from kolhub.models import TenantModel

COUNTERS = ("views", "reach", "impressions", "likes", "comments", "shares", "saves")


class PostStatus(models.TextChoices):
    LIVE = "live", _("Live")
    DELETED = "deleted", _("Deleted")
    PRIVATE = "private", _("Private")
    UNKNOWN = "unknown", _("Unknown")


def counter(verbose_name) -> models.BigIntegerField:
    return models.BigIntegerField(verbose_name, null=True, blank=True)


class Counters(models.Model):
    """A post's public counters; empty when the platform does not report one."""

    views = counter(_("views"))
    reach = counter(_("reach"))
    impressions = counter(_("impressions"))
    likes = counter(_("likes"))
    comments = counter(_("comments"))
    shares = counter(_("shares"))
    saves = counter(_("saves"))

    class Meta:
        abstract = True


class Post(Counters, TenantModel):
    """A published post, followed by the pull pipeline; its latest counters are kept here."""

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    platform_id = models.CharField(
        _("platform ID"),
        max_length=64,
        blank=True,
        help_text=_("Empty for a short link until it is resolved."),
    )
    url = models.URLField(_("URL"), max_length=500)
    collaboration = models.ForeignKey(
        "campaigns.Collaboration",
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("collaboration"),
    )
    deliverable = models.ForeignKey(
        "campaigns.Deliverable",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("deliverable"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PostStatus.choices, default=PostStatus.UNKNOWN
    )
    last_pulled_at = models.DateTimeField(_("last pulled"), null=True, blank=True)
    next_pull_at = models.DateTimeField(_("next pull"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["next_pull_at"], name="post_next_pull")]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "platform_id"],
                condition=~Q(platform_id=""),
                name="post_unique_platform_id",
            ),
            models.UniqueConstraint(fields=["workspace", "url"], name="post_unique_url"),
        ]

    def __str__(self) -> str:
        return self.url


class SnapshotSource(models.TextChoices):
    API = "api", _("Platform API")
    MANUAL = "manual", _("Typed in")
    PORTAL = "portal", _("Creator portal")
    CSV = "csv", _("CSV import")
    DEMO = "demo", _("Demo")


class MetricSnapshot(Counters, TenantModel):
    """The counters of a post at one time; one per post and capture bucket (the hour)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("post")
    )
    captured_at = models.DateTimeField(_("captured"))
    # captured_at truncated to the hour: a retried or duplicated pull lands on the same row.
    bucket = models.DateTimeField(_("hour"))
    source = models.CharField(_("source"), max_length=8, choices=SnapshotSource.choices)
    raw = models.JSONField(_("raw response"), default=dict, blank=True)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        ordering = ["post", "bucket"]
        constraints = [
            models.UniqueConstraint(fields=["post", "bucket"], name="snapshot_one_per_bucket"),
            models.CheckConstraint(
                condition=Q(views__isnull=True) | Q(views__gte=0),
                name="snapshot_views_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} @ {self.bucket:%Y-%m-%d %H:00}"
