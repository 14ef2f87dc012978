"""The campaign itself: its plan (KPI targets, budget by tier) and its versioned brief."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models.fields import NOT_NEGATIVE, money_field, random_upload_path
from creators.models import Tier
from kolhub.models import TenantModel


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


class CampaignEvent(TenantModel):
    """The campaign's own log: each change of its status, by whom and when. Closing makes
    its report final and reopening makes it live again, so both are on record."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="events", verbose_name=_("campaign")
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=CampaignStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=CampaignStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["campaign", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.from_status} → {self.to_status}"

    @property
    def closed(self) -> bool:
        return self.to_status == CampaignStatus.CLOSED

    @property
    def reopened(self) -> bool:
        return self.from_status == CampaignStatus.CLOSED


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

# The order a campaign's figures are read in, everywhere they are listed (KPI cards on the Plan
# and Results tabs, the share link, the KPI form, the PDF and XLSX summary): down the funnel,
# from what was spent to what came back. Each cost per result follows the result it divides
# by; each rate follows the count it leads to. Figures that are not steps of the funnel (earned
# media value, the creator ratios, audience fit) come last. docs/scoring.md explains it
# ("Reading order of the figures").
FUNNEL_ORDER = [
    "cost",
    "reach",
    "impressions",
    "cpm",
    "views",
    "engagements",
    "engagement_rate",
    "cpe",
    "clicks",
    "ctr",
    "cpc",
    "conversions",
    "conversion_rate",
    "cpa",
    "revenue",
    "roas",
    "roi",
    "emv",
    "views_vs_usual",
    "sponsored_vs_organic",
    "audience_fit",
]


def funnel_position(name: str) -> int:
    """A figure's place in FUNNEL_ORDER; one not listed goes after every listed one."""
    return FUNNEL_ORDER.index(name) if name in FUNNEL_ORDER else len(FUNNEL_ORDER)


def kpis_in_funnel_order(targets: Iterable[KpiTarget]) -> list[KpiTarget]:
    return sorted(targets, key=lambda target: funnel_position(target.metric))


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
