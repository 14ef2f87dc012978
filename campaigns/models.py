"""The project: what are we doing with whom? Campaigns, their roster, deliverables and review."""

from __future__ import annotations

import calendar
import secrets
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creators.models import Creator, DeliverableFormat, Platform, Tier
from kolhub.models import TenantModel

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def money_field(verbose_name: str | StrPromise, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )


def random_upload_path(folder: str, filename: str) -> str:
    """A random name under `folder`: what the uploader called the file never reaches the disk."""
    return f"{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class Objective(models.TextChoices):
    AWARENESS = "awareness", _("Awareness")
    TRUST = "trust", _("Trust")
    CONVERSION = "conversion", _("Conversion")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLANNING = "planning", _("Planning")
    RUNNING = "running", _("Running")
    OBSERVING = "observing", _("Observing")
    CLOSED = "closed", _("Closed")


class Campaign(TenantModel):
    brand = models.ForeignKey(
        "kolhub.Brand", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("brand")
    )
    name = models.CharField(_("name"), max_length=160)
    # The name people type on the command line (campaign_report); Chinese names keep their
    # characters. Filled from the name when the campaign is first saved.
    slug = models.SlugField(_("short name"), max_length=80, allow_unicode=True, blank=True)
    objective = models.CharField(_("objective"), max_length=12, choices=Objective.choices)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("last publish date"))
    observation_ends_on = models.DateField(
        _("observation window ends"),
        blank=True,
        help_text=_("Leave empty for three months after the last publish date."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="TWD")
    total_budget = money_field(_("total budget"), default=Decimal(0))
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("person in charge", "owner"),
    )
    brand_approval = models.BooleanField(
        _("brand approves drafts"),
        default=False,
        help_text=_("Client viewers of the brand approve drafts after the agency has passed them."),
    )
    auto_approve_days = models.PositiveSmallIntegerField(
        _("auto-approve after (business days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("A draft awaiting the brand is approved after this many business days."),
    )
    receipt_followup_days = models.PositiveSmallIntegerField(
        _("ask about unconfirmed shipments after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # The persona the campaign wants to reach: dimension ("age", "gender", "countries",
    # "cities") → bucket → share; creators' audiences are scored against it (audience fit).
    target_audience = models.JSONField(_("target audience"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["workspace", "status"], name="campaign_ws_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "slug"], condition=~Q(slug=""), name="campaign_unique_slug"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(observation_ends_on__gte=models.F("ends_on")),
                name="campaign_observation_after_end",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0), name="campaign_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="campaign_currency_iso4217"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def default_observation_end(ends_on: date) -> date:
        """Three months after the last publish date (the same day, or the month's last)."""
        month = ends_on.month + 3
        year, month = ends_on.year + (month - 1) // 12, (month - 1) % 12 + 1
        return date(year, month, min(ends_on.day, calendar.monthrange(year, month)[1]))


class KpiMetric(models.TextChoices):
    IMPRESSIONS = "impressions", _("Impressions")
    REACH = "reach", _("Reach")
    VIEWS = "views", _("Views")
    ENGAGEMENTS = "engagements", _("Engagements")
    ENGAGEMENT_RATE = "engagement_rate", _("Engagement rate")
    CLICKS = "clicks", _("Clicks")
    CONVERSIONS = "conversions", _("Conversions")
    REVENUE = "revenue", _("Revenue")
    CPM = "cpm", "CPM"
    CPE = "cpe", "CPE"
    CPC = "cpc", "CPC"
    CPA = "cpa", "CPA"
    ROAS = "roas", "ROAS"
    ROI = "roi", "ROI"


# How each KPI's target is written: a count, money in the campaign currency, a percentage or a
# ratio. Costs per result are "lower is better".
KPI_KIND = {
    KpiMetric.IMPRESSIONS: "count",
    KpiMetric.REACH: "count",
    KpiMetric.VIEWS: "count",
    KpiMetric.ENGAGEMENTS: "count",
    KpiMetric.ENGAGEMENT_RATE: "percent",
    KpiMetric.CLICKS: "count",
    KpiMetric.CONVERSIONS: "count",
    KpiMetric.REVENUE: "money",
    KpiMetric.CPM: "money",
    KpiMetric.CPE: "money",
    KpiMetric.CPC: "money",
    KpiMetric.CPA: "money",
    KpiMetric.ROAS: "ratio",
    KpiMetric.ROI: "percent",
}
LOWER_IS_BETTER = {KpiMetric.CPM, KpiMetric.CPE, KpiMetric.CPC, KpiMetric.CPA}


class KpiTarget(TenantModel):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="kpi_targets", verbose_name=_("campaign")
    )
    metric = models.CharField(_("KPI"), max_length=16, choices=KpiMetric.choices)
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, validators=NOT_NEGATIVE
    )

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["campaign", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "metric"], name="kpi_one_per_metric"),
            models.CheckConstraint(condition=Q(target__gte=0), name="kpi_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.get_metric_display()} {self.target}"

    @property
    def kind(self) -> str:
        return KPI_KIND[KpiMetric(self.metric)]

    @property
    def lower_is_better(self) -> bool:
        return self.metric in LOWER_IS_BETTER


class TierBudget(TenantModel):
    """The planned spend on one tier: a share of the total budget or a fixed amount."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tier_budgets", verbose_name=_("campaign")
    )
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    share = models.DecimalField(
        _("share of budget (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    amount = money_field(_("amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("tier budget")
        verbose_name_plural = _("tier budgets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "tier"], name="tierbudget_one_per_tier"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(amount__isnull=True),
                name="tierbudget_share_or_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.tier}"

    def planned_amount(self, total_budget: Decimal) -> Decimal:
        if self.amount is not None:
            return self.amount
        if self.share is not None:
            return (total_budget * self.share / 100).quantize(Decimal("0.01"))
        return Decimal(0)


def brief_asset_path(instance: BriefAsset, filename: str) -> str:
    return random_upload_path("briefs", filename)


class BriefAsset(TenantModel):
    """A reference file for creators (logo, product photos, guidelines)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="brief_assets", verbose_name=_("campaign")
    )
    file = models.FileField(_("file"), upload_to=brief_asset_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("brief asset")
        verbose_name_plural = _("brief assets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BriefVersion(TenantModel):
    """One version of a campaign's brief; every edit makes a new one, old ones stay as sent."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="brief_versions",
        verbose_name=_("campaign"),
    )
    number = models.PositiveIntegerField(_("version"))
    key_messages = models.TextField(_("key messages"), blank=True)
    dos = models.TextField(_("do's"), blank=True)
    donts = models.TextField(_("don'ts"), blank=True)
    hashtags = models.CharField(
        _("mandatory hashtags"), max_length=500, blank=True, help_text=_("Separated by spaces.")
    )
    mentions = models.CharField(
        _("mandatory mentions"), max_length=500, blank=True, help_text=_("Separated by spaces.")
    )
    disclosure = models.CharField(
        _("disclosure text"), max_length=120, blank=True, help_text=_("e.g. #ad or 合作")
    )
    required_link = models.URLField(_("required link"), max_length=500, blank=True)
    promo_code = models.CharField(_("promo code"), max_length=60, blank=True)
    forbidden_words = models.CharField(
        _("forbidden words"), max_length=1000, blank=True, help_text=_("Separated by commas.")
    )
    format_requirements = models.TextField(
        _("requirements per format"),
        blank=True,
        help_text=_("e.g. Reel: 30–60 s, vertical, product in the first 3 seconds."),
    )
    assets = models.ManyToManyField(
        BriefAsset, blank=True, related_name="versions", verbose_name=_("reference assets")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("brief version")
        verbose_name_plural = _("brief versions")
        ordering = ["campaign", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="brief_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} v{self.number}"

    @property
    def hashtag_list(self) -> list[str]:
        return [f"#{tag.lstrip('#')}" for tag in self.hashtags.split() if tag.lstrip("#")]

    @property
    def mention_list(self) -> list[str]:
        return [f"@{name.lstrip('@')}" for name in self.mentions.split() if name.lstrip("@")]

    @property
    def forbidden_list(self) -> list[str]:
        separators = self.forbidden_words.replace("，", ",").replace("、", ",")
        return [word.strip() for word in separators.split(",") if word.strip()]


class Stage(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Shortlisted")
    CONTACTED = "contacted", _("Contacted")
    NEGOTIATING = "negotiating", _("Negotiating")
    CONTRACTED = "contracted", _("Contracted")
    PRODUCT_SHIPPED = "shipped", _("Product shipped")
    PRODUCT_RECEIVED = "received", _("Product received")
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    REPORTED = "reported", _("Reported")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    GHOSTED = "ghosted", _("Ghosted")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    DEPOSIT = "deposit", _("Deposit paid")
    PAID = "paid", _("Paid")


class UsageRights(models.Model):
    """How the brand may use the content: agreed in the contract, copied onto approved assets."""

    rights_organic = models.BooleanField(_("organic repost"), default=False)
    rights_paid_ads = models.BooleanField(_("paid ads / whitelisting"), default=False)
    rights_edit = models.BooleanField(_("may edit the content"), default=False)
    rights_territory = models.CharField(_("territory"), max_length=120, blank=True)
    rights_starts_on = models.DateField(_("usage rights from"), null=True, blank=True)
    rights_ends_on = models.DateField(_("usage rights until"), null=True, blank=True)

    RIGHTS_FIELDS = (
        "rights_organic",
        "rights_paid_ads",
        "rights_edit",
        "rights_territory",
        "rights_starts_on",
        "rights_ends_on",
    )

    class Meta:
        abstract = True


class Collaboration(UsageRights, TenantModel):
    """One creator in one campaign: the deal, its stage and everything delivered under it."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="collaborations",
        verbose_name=_("campaign"),
    )
    creator = models.ForeignKey(
        Creator, on_delete=models.PROTECT, related_name="collaborations", verbose_name=_("creator")
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.SHORTLISTED
    )
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner in the team"),
    )
    tier = models.CharField(
        _("tier"),
        max_length=8,
        choices=Tier.choices,
        blank=True,
        help_text=_("The creator's tier when added; budgets by tier count it here."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="TWD")
    fee = money_field(_("fee"), null=True, blank=True)
    product_cost = money_field(_("product cost"), default=Decimal(0))
    shipping_cost = money_field(_("shipping"), default=Decimal(0))
    other_cost = money_field(_("other costs"), default=Decimal(0))
    payment_status = models.CharField(
        _("payment"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    deposit_paid_on = models.DateField(_("deposit paid on"), null=True, blank=True)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)
    # Contract terms beside the usage rights (UsageRights).
    exclusivity_ends_on = models.DateField(
        _("exclusive until"),
        null=True,
        blank=True,
        help_text=_("No work for competing brands until this date."),
    )
    min_live_days = models.PositiveSmallIntegerField(
        _("posts stay live for at least (days)"), null=True, blank=True
    )
    brief_sent = models.ForeignKey(
        BriefVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("brief version sent"),
    )
    notes = models.TextField(_("notes"), blank=True)
    last_creator_activity_at = models.DateTimeField(
        _("last heard from the creator"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["campaign", "creator__display_name"]
        indexes = [models.Index(fields=["workspace", "owner", "stage"], name="collab_ws_owner")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "creator"], name="collab_one_per_creator"),
            models.CheckConstraint(
                condition=(
                    (Q(fee__isnull=True) | Q(fee__gte=0))
                    & Q(product_cost__gte=0)
                    & Q(shipping_cost__gte=0)
                    & Q(other_cost__gte=0)
                ),
                name="collab_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(rights_ends_on__isnull=True)
                | Q(rights_starts_on__isnull=True)
                | Q(rights_ends_on__gte=models.F("rights_starts_on")),
                name="collab_rights_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creator} × {self.campaign}"

    @property
    def total_cost(self) -> Decimal:
        return (self.fee or 0) + self.product_cost + self.shipping_cost + self.other_cost


class EventKind(models.TextChoices):
    ADDED = "added", _("Added to the campaign")
    STAGE = "stage", _("Stage changed")
    EDITED = "edited", _("Terms edited")
    SHIPMENT = "shipment", _("Shipment")
    DRAFT = "draft", _("Draft submitted")
    REVIEW = "review", _("Review")
    PORTAL = "portal", _("Creator portal")
    POST = "post", _("Live post")
    INSIGHTS = "insights", _("Insights")
    REMINDER = "reminder", _("Reminder sent")
    TAKEN_DOWN = "taken_down", _("Post taken down early")


class CollaborationEvent(TenantModel):
    """The collaboration's log: every stage move, portal action, review and reminder."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("collaboration"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_creator = models.BooleanField(_("by the creator"), default=False)
    # What happened, as facts (campaigns.events words them in the reader's language) …
    data = models.JSONField(_("details"), default=dict, blank=True)
    # … and what someone typed (a note on a move, shipment items): shown as written.
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("collaboration event")
        verbose_name_plural = _("collaboration events")
        ordering = ["collaboration", "-created_at", "-pk"]
        indexes = [models.Index(fields=["collaboration", "kind"], name="event_collab_kind")]

    def __str__(self) -> str:
        return f"{self.collaboration}: {self.kind} {self.created_at:%Y-%m-%d}"


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    CHANGES = "changes", _("Changes requested")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_DELIVERABLE = [
    DeliverableStatus.PLANNED,
    DeliverableStatus.DRAFTING,
    DeliverableStatus.IN_REVIEW,
    DeliverableStatus.CHANGES,
    DeliverableStatus.APPROVED,
]


class Deliverable(TenantModel):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="deliverables",
        verbose_name=_("collaboration"),
    )
    format = models.CharField(_("format"), max_length=16, choices=DeliverableFormat.choices)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    draft_due = models.DateField(_("draft due"), null=True, blank=True)
    publish_due = models.DateField(_("publish by"), null=True, blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PLANNED,
    )
    # The live post as submitted; the tracking app registers it as a Post and follows it.
    live_url = models.URLField(_("live post URL"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    draft_submitted_at = models.DateTimeField(_("first draft submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["publish_due", "pk"]
        indexes = [
            models.Index(fields=["workspace", "status", "draft_due"], name="deliv_ws_draft_due"),
            models.Index(fields=["workspace", "status", "publish_due"], name="deliv_ws_pub_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_due__isnull=True)
                | Q(publish_due__isnull=True)
                | Q(publish_due__gte=models.F("draft_due")),
                name="deliverable_draft_before_publish",
            )
        ]

    def __str__(self) -> str:
        return f"{self.collaboration.creator}: {self.get_format_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DELIVERABLE


class Shipment(TenantModel):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="shipments",
        verbose_name=_("collaboration"),
    )
    items = models.CharField(_("items"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    value = money_field(_("value"), default=Decimal(0))
    recipient_name = models.CharField(_("recipient"), max_length=120, blank=True)
    recipient_phone = models.CharField(_("phone"), max_length=40, blank=True)
    recipient_address = models.TextField(_("address"), blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    shipped_on = models.DateField(_("shipped"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)
    received_on = models.DateField(_("receipt confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["collaboration", "shipped_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="shipment_value_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration.creator}: {self.items}"


class DraftStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES = "changes", _("Changes requested")
    AWAITING_BRAND = "brand", _("Waiting for the brand")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class Draft(TenantModel):
    """One version of a deliverable's content, with its automatic brief check."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("deliverable")
    )
    version = models.PositiveIntegerField(_("version"))
    caption = models.TextField(_("caption"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.SUBMITTED
    )
    brief_checks = models.JSONField(_("brief check"), default=list, blank=True)
    brief_version = models.ForeignKey(
        BriefVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked against brief"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    by_creator = models.BooleanField(_("submitted by the creator"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    agency_approved_at = models.DateTimeField(_("passed by the agency"), null=True, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["deliverable", "-version"]
        indexes = [models.Index(fields=["workspace", "status"], name="draft_ws_status")]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "version"], name="draft_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} v{self.version}"


def draft_media_path(instance: DraftMedia, filename: str) -> str:
    return random_upload_path("drafts", filename)


class DraftMedia(TenantModel):
    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="media", verbose_name=_("draft")
    )
    file = models.FileField(_("file"), upload_to=draft_media_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        verbose_name = _("draft media")
        verbose_name_plural = _("draft media")
        ordering = ["draft", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")


class Decision(models.TextChoices):
    COMMENT = "comment", _("Comment")
    CHANGES = "changes", _("Request changes")
    APPROVE = "approve", _("Approve")
    BRAND_CHANGES = "brand_changes", _("Brand requests changes")
    BRAND_APPROVE = "brand_approve", _("Brand approves")
    AUTO_APPROVE = "auto_approve", _("Approved automatically")


REVISION_DECISIONS = [Decision.CHANGES, Decision.BRAND_CHANGES]


class ReviewComment(TenantModel):
    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="comments", verbose_name=_("draft")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    decision = models.CharField(_("decision"), max_length=14, choices=Decision.choices)
    body = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["draft", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.draft}: {self.decision}"


class Asset(UsageRights, TenantModel):
    """Approved content in the campaign's library, with the usage rights it was approved under."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="assets", verbose_name=_("campaign")
    )
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="assets",
        verbose_name=_("collaboration"),
    )
    media = models.OneToOneField(
        DraftMedia, on_delete=models.CASCADE, related_name="asset", verbose_name=_("file")
    )
    approved_at = models.DateTimeField(_("approved"), default=timezone.now)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("asset library")
        ordering = ["campaign", "-approved_at"]

    def __str__(self) -> str:
        return str(self.media)

    def rights_expired(self, today: date) -> bool:
        return self.rights_ends_on is not None and self.rights_ends_on < today


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


class ReminderKind(models.TextChoices):
    DRAFT_DUE_SOON = "draft_soon", _("Draft due soon")
    DRAFT_OVERDUE = "draft_late", _("Draft overdue")
    POST_DUE_SOON = "post_soon", _("Post due soon")
    POST_OVERDUE = "post_late", _("Post overdue")
    RECEIPT_UNCONFIRMED = "receipt", _("Receipt of the product not confirmed")
    SILENT = "silent", _("Creator silent since shipping")
    RIGHTS_EXPIRING = "rights", _("Usage rights expiring")
    LIVE_PERIOD_ENDS = "live_ends", _("Minimum live period ends")


class Reminder(TenantModel):
    """A reminder that was sent; its key makes sure the same one never goes out twice."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("collaboration"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    key = models.CharField(_("key"), max_length=120)
    due_on = models.DateField(_("due"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["key"], name="reminder_unique_key")]

    def __str__(self) -> str:
        return self.key
