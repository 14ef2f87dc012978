"""Sales: tracked links and their clicks, promo codes, sales feeds, conversions and the
webhook deliveries they arrive by."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kolhub.encryption import EncryptedTextField
from kolhub.models import TenantModel, TenantQuerySet
from tracking.link_cache import links_changed


class TrackedLinkQuerySet(TenantQuerySet):
    """Writes that skip save() and its signal still empty every process's copies of the
    links (tracking/link_cache.py); save() and deletes, cascades too, send the signals."""

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        links_changed()
        return rows

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        rows = super().bulk_update(*args, **kwargs)
        links_changed()
        return rows

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[Any]:
        # With update_conflicts it rewrites existing links.
        created = super().bulk_create(*args, **kwargs)
        links_changed()
        return created


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
    utm_source = models.CharField(_("UTM source"), max_length=100)
    utm_medium = models.CharField(_("UTM medium"), max_length=100)
    utm_campaign = models.CharField(_("UTM campaign"), max_length=100)
    utm_content = models.CharField(_("UTM content"), max_length=100, blank=True)
    utm_term = models.CharField(_("UTM term"), max_length=100, blank=True)
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

    objects = TrackedLinkQuerySet.as_manager()  # type: ignore[misc]  # narrows TenantModel's

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"/r/{self.code} → {self.destination}"

    @property
    def short_url(self) -> str:
        """The address to share: /r/<code> on the app's own site."""
        return settings.SITE_URL + reverse("tracked_redirect", args=[self.code])


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
    CUSTOM = "custom", _("Custom shop (signed webhook)")
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
    utm_source = models.CharField(_("UTM source"), max_length=100, blank=True)
    utm_medium = models.CharField(_("UTM medium"), max_length=100, blank=True)
    utm_campaign = models.CharField(_("UTM campaign"), max_length=100, blank=True)
    utm_content = models.CharField(_("UTM content"), max_length=100, blank=True)
    utm_term = models.CharField(_("UTM term"), max_length=100, blank=True)
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
        indexes = [
            models.Index(fields=["collaboration", "occurred_at"], name="conversion_collab"),
            # The Sales page's latest orders: fifty rows without sorting the workspace's.
            models.Index(fields=["workspace", "-occurred_at", "-id"], name="conversion_ws_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount} {self.currency}"

    @property
    def net_amount(self):
        """What the order is still worth: nothing once cancelled, less what was refunded."""
        return 0 if self.cancelled else max(self.amount - self.refunded, 0)


class DeliveryOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REFUSED = "refused", _("Refused: not signed by the shop")
    UNREADABLE = "unreadable", _("Signed but unreadable")


class WebhookDelivery(models.Model):
    """A webhook request as it came in and what became of it. An applied event holds the
    (feed, event id) slot, so a replay of the same event is answered, not applied; a refused
    or unreadable one does not, so the shop's corrected resend is still applied. The body is
    kept only once the signature proved it came from the shop, so it can be applied again
    (tracking.sales.webhooks.delivery_replay)."""

    feed = models.ForeignKey(
        SalesFeed, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("feed")
    )
    event_id = models.CharField(_("event ID"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=DeliveryOutcome.choices,
        default=DeliveryOutcome.APPLIED,
    )
    reason = models.CharField(_("why"), max_length=200, blank=True)
    order_id = models.CharField(_("order ID"), max_length=100, blank=True)
    conversion = models.ForeignKey(
        Conversion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("conversion"),
    )
    body = models.TextField(_("body"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "event_id"],
                condition=models.Q(outcome="applied"),
                name="webhook_delivery_once",
            )
        ]
        indexes = [models.Index(fields=["outcome", "received_at"], name="webhook_outcome_time")]

    def __str__(self) -> str:
        return self.event_id or f"#{self.pk}"
