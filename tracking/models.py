"""The evidence: published posts and their metrics over time."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creators.models import Platform, Tier
from kolhub.encryption import EncryptedTextField
from kolhub.models import TenantModel

COUNTERS = ("views", "reach", "impressions", "likes", "comments", "shares", "saves")


class ConnectionKind(models.TextChoices):
    API_KEY = "api_key", _("API key")
    OAUTH = "oauth", _("Authorised account")


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
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("connected by"),
    )
    created_at = models.DateTimeField(_("connected"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform connection")
        verbose_name_plural = _("platform connections")
        ordering = ["platform", "label", "pk"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.label or self.external_id or self.pk}"

    @property
    def connect_flow(self) -> str:
        """The OAuth flow that (re)connects it: Facebook Pages come with the Instagram one."""
        return "tiktok" if self.platform == Platform.TIKTOK else "instagram"


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
    # Consecutive temporary failures: spaces out retries, reset by a good pull.
    failures = models.PositiveSmallIntegerField(_("failed pulls in a row"), default=0)
    gone_at = models.DateTimeField(_("found gone"), null=True, blank=True)
    # Where the platform serves the cover now (it changes and expires), and our copy of it:
    # pages never link to a platform's CDN, so they work offline and under a strict CSP.
    thumbnail_source = models.CharField(_("cover image source"), max_length=2000, blank=True)
    thumbnail = models.FileField(
        _("cover image"), upload_to=thumbnail_path, blank=True, max_length=200
    )
    thumbnail_failures = models.PositiveSmallIntegerField(_("failed cover downloads"), default=0)
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


class TrackedLink(TenantModel):
    """A creator's own link to the brand's page: /r/<code> adds the UTM fields and a click id.

    The destination is fixed here by the link's owner; the redirect never takes one from
    the request (no open redirect).
    """

    collaboration = models.ForeignKey(
        "campaigns.Collaboration",
        on_delete=models.CASCADE,
        related_name="tracked_links",
        verbose_name=_("collaboration"),
    )
    deliverable = models.ForeignKey(
        "campaigns.Deliverable",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_links",
        verbose_name=_("deliverable"),
    )
    destination = models.URLField(_("destination"), max_length=1000)
    utm_source = models.CharField("utm_source", max_length=100)
    utm_medium = models.CharField("utm_medium", max_length=100)
    utm_campaign = models.CharField("utm_campaign", max_length=100)
    utm_content = models.CharField("utm_content", max_length=100, blank=True)
    utm_term = models.CharField("utm_term", max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=16, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"/r/{self.code} → {self.destination}"


class Click(TenantModel):
    """One request to a tracked link. No raw IP: a salted hash of IP and user agent counts
    unique visitors; bots and link-preview fetchers are kept but flagged."""

    link = models.ForeignKey(
        TrackedLink, on_delete=models.CASCADE, related_name="clicks", verbose_name=_("link")
    )
    click_id = models.CharField(_("click ID"), max_length=32, unique=True)
    occurred_at = models.DateTimeField(_("time"))
    visitor = models.CharField(_("visitor hash"), max_length=32)
    referrer = models.CharField(_("referrer"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    is_bot = models.BooleanField(_("bot or preview"), default=False)

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")
        indexes = [models.Index(fields=["link", "occurred_at"], name="click_link_time")]

    def __str__(self) -> str:
        return self.click_id


class ClickDay(TenantModel):
    """Clicks of a link on one day (UTC), recomputed by the drain task from the clicks."""

    link = models.ForeignKey(
        TrackedLink, on_delete=models.CASCADE, related_name="days", verbose_name=_("link")
    )
    day = models.DateField(_("day"))
    clicks = models.PositiveIntegerField(_("human clicks"), default=0)
    unique_visitors = models.PositiveIntegerField(_("unique visitors"), default=0)
    bot_clicks = models.PositiveIntegerField(_("bot and preview requests"), default=0)

    class Meta:
        verbose_name = _("clicks of a day")
        verbose_name_plural = _("clicks by day")
        ordering = ["link", "day"]
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="click_day_one_per_link")
        ]

    def __str__(self) -> str:
        return f"{self.link.code} {self.day}: {self.clicks}"


class ClickLogOffset(models.Model):
    """How far the drain has read each click log file (a file per web process and hour)."""

    name = models.CharField(_("file"), max_length=200, unique=True)
    offset = models.BigIntegerField(_("bytes read"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("click log position")
        verbose_name_plural = _("click log positions")

    def __str__(self) -> str:
        return f"{self.name}@{self.offset}"


class PromoCode(TenantModel):
    """A discount code of one collaboration; orders using it are the creator's."""

    collaboration = models.ForeignKey(
        "campaigns.Collaboration",
        on_delete=models.CASCADE,
        related_name="promo_codes",
        verbose_name=_("collaboration"),
    )
    code = models.CharField(_("code"), max_length=40)
    # Shops match codes without regard to case: ANNA15 and anna15 are one code.
    normalised = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("promo code")
        verbose_name_plural = _("promo codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "normalised"], name="promo_code_unique_in_workspace"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.normalised = self.code.strip().upper()
        super().save(*args, **kwargs)


class SalesChannel(models.TextChoices):
    PIXEL = "pixel", _("Thank-you page pixel")
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    CSV = "csv", _("Spreadsheet import")
    MANUAL = "manual", _("Typed in")


class AttributionRule(models.TextChoices):
    PROMO_CODE = "promo", _("Promo code")
    CLICK_ID = "click", _("Tracked link click")
    UTM_CONTENT = "utm", _("utm_content")
    NONE = "none", _("Not attributed")


class SalesFeed(TenantModel):
    """Where a workspace's orders come in from: a store's webhook or the thank-you page pixel.

    The token in the feed's URL names the workspace; a webhook must also carry the signature
    made with the secret, which is encrypted at rest like the platform tokens.
    """

    channel = models.CharField(_("channel"), max_length=12, choices=SalesChannel.choices)
    label = models.CharField(_("name"), max_length=120)
    token = models.CharField(_("address key"), max_length=48, unique=True, editable=False)
    secret = EncryptedTextField(_("signing secret"), blank=True)
    attribution_days = models.PositiveSmallIntegerField(
        _("click attribution window (days)"),
        default=30,
        help_text=_("An order counts for a tracked link clicked at most this many days before."),
    )
    rejected = models.PositiveIntegerField(_("requests ignored"), default=0)
    last_received_at = models.DateTimeField(_("last order received"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sales feed")
        verbose_name_plural = _("sales feeds")
        ordering = ["channel", "label"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.label}"


class Conversion(TenantModel):
    """An order, and the collaboration it is attributed to (and by which rule)."""

    channel = models.CharField(_("channel"), max_length=12, choices=SalesChannel.choices)
    order_id = models.CharField(_("order ID"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    refunded = models.DecimalField(_("refunded"), max_digits=14, decimal_places=2, default=0)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    occurred_at = models.DateTimeField(_("ordered"))
    promo_code = models.CharField(_("promo code"), max_length=100, blank=True)
    click_id = models.CharField(_("click ID"), max_length=32, blank=True)
    utm_source = models.CharField("utm_source", max_length=100, blank=True)
    utm_medium = models.CharField("utm_medium", max_length=100, blank=True)
    utm_campaign = models.CharField("utm_campaign", max_length=100, blank=True)
    utm_content = models.CharField("utm_content", max_length=100, blank=True)
    utm_term = models.CharField("utm_term", max_length=100, blank=True)
    collaboration = models.ForeignKey(
        "campaigns.Collaboration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversions",
        verbose_name=_("attributed to"),
    )
    rule = models.CharField(
        _("attributed by"), max_length=8, choices=AttributionRule.choices, default="none"
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "channel", "order_id"], name="conversion_one_per_order"
            )
        ]
        indexes = [models.Index(fields=["collaboration", "occurred_at"], name="conversion_collab")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount} {self.currency}"

    @property
    def net_amount(self):
        """What the order is still worth: nothing once cancelled, less what was refunded."""
        return 0 if self.cancelled else max(self.amount - self.refunded, 0)


class WebhookDelivery(models.Model):
    """A webhook delivery already handled: a replay of the same event is answered, not applied."""

    feed = models.ForeignKey(SalesFeed, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=120)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["feed", "event_id"], name="webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return self.event_id


class EmvAction(models.TextChoices):
    # One action by a viewer ("a view"), not the UI's "View" (檢視) nor "Save" (儲存).
    IMPRESSIONS = "impressions", pgettext_lazy("one action on a post", "Impression")
    VIEWS = "views", pgettext_lazy("one action on a post", "View")
    LIKES = "likes", pgettext_lazy("one action on a post", "Like")
    COMMENTS = "comments", pgettext_lazy("one action on a post", "Comment")
    SHARES = "shares", pgettext_lazy("one action on a post", "Share")
    SAVES = "saves", pgettext_lazy("one action on a post", "Save")


class EmvRate(TenantModel):
    """The workspace's value of one action on one platform, for earned media value; where the
    workspace has no row, the documented default of tracking.scoring.defaults applies."""

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    action = models.CharField(_("action"), max_length=12, choices=EmvAction.choices)
    value = models.DecimalField(_("value of one"), max_digits=12, decimal_places=6)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("EMV rate")
        verbose_name_plural = _("EMV rates")
        ordering = ["platform", "action"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "action"], name="emvrate_one_per_action"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="emvrate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.action}: {self.value} {self.currency}"


class CampaignResult(TenantModel):
    """A campaign's figures as computed after the last change of its inputs (tracking.scoring),
    so pages read one row instead of recomputing; `report` has the shape `campaign_report`
    prints, `series` the downsampled daily views and engagements."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="result",
        verbose_name=_("campaign"),
    )
    report = models.JSONField(_("figures"), default=dict)
    series = models.JSONField(_("time series"), default=list)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("campaign result")
        verbose_name_plural = _("campaign results")

    def __str__(self) -> str:
        return f"{self.campaign} @ {self.computed_at:%Y-%m-%d %H:%M}"


def share_token() -> str:
    return secrets.token_urlsafe(32)


class SharedReport(TenantModel):
    """A read-only link to a campaign's dashboard for someone without an account (a client):
    unguessable, expiring and revocable; it shows figures and allows no change."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="shared_reports",
        verbose_name=_("campaign"),
    )
    token = models.CharField(max_length=64, unique=True, default=share_token, editable=False)
    label = models.CharField(_("for"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_viewed_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared report link")
        verbose_name_plural = _("shared report links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.label or self.token[:6]}"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class EngagementBenchmark(TenantModel):
    """The engagement rate typical of a tier on a platform, as the workspace judges it; where
    it has no row, the documented default of tracking.scoring.defaults applies."""

    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    rate = models.DecimalField(_("engagement rate"), max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = _("engagement benchmark")
        verbose_name_plural = _("engagement benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "tier"], name="benchmark_one_per_tier"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="benchmark_rate_is_a_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.tier}: {self.rate}"


class AccountPost(Counters, TenantModel):
    """One of an account's latest posts as its profile lists them, sponsored or not, read
    with the account's figures: the organic baseline campaign posts are held against."""

    account = models.ForeignKey(
        "creators.SocialAccount",
        on_delete=models.CASCADE,
        related_name="recent_posts",
        verbose_name=_("account"),
    )
    platform_id = models.CharField(_("platform ID"), max_length=64)
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


class AccountScore(TenantModel):
    """A social account's scores as last computed (tracking.scoring.creator), with the inputs
    of each authenticity signal so the page can explain it."""

    account = models.OneToOneField(
        "creators.SocialAccount",
        on_delete=models.CASCADE,
        related_name="score",
        verbose_name=_("account"),
    )
    engagement_rate = models.FloatField(_("engagement rate by followers"), null=True)
    stability = models.FloatField(_("coefficient of variation"), null=True)
    posts_used = models.PositiveSmallIntegerField(_("posts read"), default=0)
    benchmark = models.FloatField(_("tier benchmark"), null=True)
    authenticity = models.PositiveSmallIntegerField(_("authenticity"), null=True)
    signals = models.JSONField(_("signals"), default=dict)
    # Engagement by followers of the account's own posts outside any campaign, and of its
    # campaign posts over that: below 1 when its audience ignores sponsored posts.
    organic_rate = models.FloatField(_("organic engagement rate"), null=True)
    organic_posts = models.PositiveSmallIntegerField(_("organic posts read"), default=0)
    sponsored_vs_organic = models.FloatField(_("sponsored vs organic"), null=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("account score")
        verbose_name_plural = _("account scores")

    def __str__(self) -> str:
        return f"{self.account}: {self.authenticity}"
