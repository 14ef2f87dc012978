"""One creator in one campaign: the deal and its stage, its log of events."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaign import BriefVersion, Campaign
from campaigns.models.fields import money_field
from creators.models import Creator, Tier
from kolhub.models import TenantModel


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
    PAYEE = "payee", _("Payment details")
    PAYOUT = "payout", _("Payout")
    SIGNING = "signing", _("Document signed")


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
