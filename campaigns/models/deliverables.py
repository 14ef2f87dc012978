"""What a collaboration delivers: deliverables, shipments, drafts and their review, and the
approved assets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaign import BriefVersion, Campaign
from campaigns.models.collaboration import Collaboration, UsageRights
from campaigns.models.fields import money_field, random_upload_path
from creators.models import DeliverableFormat, Platform
from kolhub.models import TenantModel


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
