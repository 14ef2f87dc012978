"""The reminders that were sent, one row each, so none goes out twice."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.collaboration import Collaboration
from kolhub.models import TenantModel


class ReminderKind(models.TextChoices):
    DRAFT_DUE_SOON = "draft_soon", _("Draft due soon")
    DRAFT_OVERDUE = "draft_late", _("Draft overdue")
    POST_DUE_SOON = "post_soon", _("Post due soon")
    POST_OVERDUE = "post_late", _("Post overdue")
    RECEIPT_UNCONFIRMED = "receipt", _("Receipt of the product not confirmed")
    SILENT = "silent", _("Creator silent since shipping")
    RIGHTS_EXPIRING = "rights", _("Usage rights expiring")
    LIVE_PERIOD_ENDS = "live_ends", _("Minimum live period ends")
    PAYOUT_DUE = "pay_due", _("Payout due soon")
    PAYOUT_OVERDUE = "pay_late", _("Payout overdue")
    PAID_NOTICE = "paid", _("Creator told of a payment")


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
