"""Reading platforms: connections and their quota, followed posts, their snapshots, and the
accounts' own latest posts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from creators.models import Platform
from kolhub.encryption import EncryptedTextField
from kolhub.models import TenantModel

COUNTERS = ("views", "reach", "impressions", "likes", "comments", "shares", "saves")
# A post whose cover failed this many downloads is left without one (its tile says so).
COVER_ATTEMPTS = 3


class ConnectionKind(models.TextChoices):
    API_KEY = "api_key", _("API key")
    OAUTH = "oauth", _("Authorised account")


class ConnectionLogin(models.TextChoices):
    """The login flow an OAuth connection came from: it decides where its token is good (an
    Instagram Login token only on graph.instagram.com) and how it is renewed."""

    FACEBOOK = "facebook", _("Facebook Login")
    INSTAGRAM = "instagram", _("Instagram Login")
    THREADS = "threads", _("Threads login")
    TIKTOK = "tiktok", _("TikTok Login Kit")
    GOOGLE = "google", _("Google sign-in")


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", _("Working")
    NEEDS_RECONNECT = "reconnect", _("Needs reconnecting")
    DISCONNECTED = "off", _("Disconnected")


class PlatformConnection(TenantModel):
    """A workspace's way into a platform's API: an API key, or an account's OAuth token.

    Tokens are encrypted at rest (kolhub.encryption); a database dump holds no usable token.
    A connection tied to a creator's account reads that creator's posts and audience.
    """

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=ConnectionKind.choices)
    login = models.CharField(_("login"), max_length=10, choices=ConnectionLogin.choices, blank=True)
    label = models.CharField(_("name"), max_length=120, blank=True)
    account = models.ForeignKey(
        "creators.SocialAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connections",
        verbose_name=_("creator account"),
    )
    external_id = models.CharField(
        _("platform account ID"),
        max_length=120,
        blank=True,
        help_text=_("The connected account's ID on the platform (Instagram user, Page, open_id)."),
    )
    token = EncryptedTextField(_("token"), blank=True)
    refresh_token = EncryptedTextField(_("refresh token"), blank=True)
    expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    refresh_expires_at = models.DateTimeField(_("refresh token expires"), null=True, blank=True)
    scopes = models.CharField(_("permissions"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=9, choices=ConnectionStatus.choices, default=ConnectionStatus.ACTIVE
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Why it stopped working, as a stable code (tracking.ingest.errors says it in words).
    error_code = models.CharField(_("error code"), max_length=24, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("connected by"),
    )
    # Set when the creator connected the account themselves, from their portal link: their
    # consent, which they can take back there.
    portal_link = models.ForeignKey(
        "campaigns.PortalLink",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("connected from the portal link"),
    )
    # When the creator was last asked to reconnect (once per breakdown; cleared on reconnect).
    reconnect_asked_at = models.DateTimeField(_("asked to reconnect"), null=True, blank=True)
    created_at = models.DateTimeField(_("connected"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform connection")
        verbose_name_plural = _("platform connections")
        ordering = ["platform", "label", "pk"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.label or self.external_id or self.pk}"

    @property
    def by_creator(self) -> bool:
        """Whether the account's creator connected it (rather than the workspace's staff)."""
        return self.portal_link_id is not None


class ApiQuota(models.Model):
    """Units of a platform's daily quota spent per credential (YouTube: 10,000 a day).

    Not tenant-owned: one API key from settings serves every workspace. The credential is a
    fingerprint of the key, never the key.
    """

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    credential = models.CharField(_("key fingerprint"), max_length=16)
    day = models.DateField(_("day"), help_text=_("In the platform's own quota time zone."))
    units = models.PositiveIntegerField(_("units spent"), default=0)

    class Meta:
        verbose_name = _("API quota use")
        verbose_name_plural = _("API quota use")
        ordering = ["-day", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "credential", "day"], name="api_quota_one_row_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.credential} {self.day}: {self.units}"


class PostStatus(models.TextChoices):
    LIVE = "live", _("Live")
    DELETED = "deleted", _("Deleted")
    PRIVATE = "private", _("Private")
    UNKNOWN = "unknown", _("Unknown")


def counter(verbose_name) -> models.BigIntegerField:
    return models.BigIntegerField(verbose_name, null=True, blank=True)


def thumbnail_path(instance: Post, filename: str) -> str:
    return f"thumbnails/{uuid.uuid4().hex}.jpg"


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


class Covered(models.Model):
    """Where the platform serves a post's cover now (it changes and expires), and our copy of
    it: pages never link to a platform's CDN, so they work offline and under a strict CSP.
    The worker copies it (tracking.ingest.thumbnails), giving up after COVER_ATTEMPTS."""

    thumbnail_source = models.CharField(_("cover image source"), max_length=2000, blank=True)
    thumbnail = models.FileField(
        _("cover image"), upload_to=thumbnail_path, blank=True, max_length=200
    )
    thumbnail_failures = models.PositiveSmallIntegerField(_("failed cover downloads"), default=0)

    class Meta:
        abstract = True

    @property
    def cover_given_up(self) -> bool:
        return not self.thumbnail and self.thumbnail_failures >= COVER_ATTEMPTS


class Post(Counters, Covered, TenantModel):
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
    # Why the last read failed, as a stable code (tracking.ingest.errors says it in words);
    # last_error keeps the platform's own words for staff.
    error_code = models.CharField(_("error code"), max_length=24, blank=True)
    # Consecutive temporary failures: spaces out retries, reset by a good pull.
    failures = models.PositiveSmallIntegerField(_("failed pulls in a row"), default=0)
    gone_at = models.DateTimeField(_("found gone"), null=True, blank=True)
    # When a read first answered that the post is gone. A take-down is asserted only when a
    # second read, at least pulls.RECHECK_AFTER later, says so again: until then the post keeps
    # its status (it is shown as being checked again) and no alert fires.
    gone_suspected_at = models.DateTimeField(_("not found since"), null=True, blank=True)
    # Minutes watched in all, as the platform's analytics last said (YouTube Analytics,
    # Instagram reels): only the author's own connection reads it, so it is no snapshot
    # counter; each pull's answer keeps it in the snapshot's raw.
    watch_minutes = models.BigIntegerField(_("watch time (minutes)"), null=True, blank=True)
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


class AccountPost(Counters, Covered, TenantModel):
    """One of an account's latest posts as its profile lists them, sponsored or not, read
    with the account's figures: the organic baseline campaign posts are held against, and
    the recent-posts grid of the creator's profile."""

    account = models.ForeignKey(
        "creators.SocialAccount",
        on_delete=models.CASCADE,
        related_name="recent_posts",
        verbose_name=_("account"),
    )
    platform_id = models.CharField(_("platform ID"), max_length=64)
    # The post on the platform as the listing gave it (empty when it did not).
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"))

    class Meta:
        verbose_name = _("account post")
        verbose_name_plural = _("account posts")
        ordering = ["account", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform_id"], name="account_post_unique_platform_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.platform_id}"
