"""What the tracking admin's pages share: links between change pages, masked secrets, and
the rules for tables the app writes as things happen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from campaigns.models import Campaign, CampaignStatus
from kolhub.celery import send_task_after_commit
from tracking.models import CampaignResult

NOTHING = "—"
# A secret shorter than this shows no characters at all: its last 4 would be most of it.
SHOWN_FROM_LENGTH = 12


def change_link(row: Model | None, text: object = None) -> str:
    """A link to the row's own admin change page, or a dash for no row."""
    if row is None:
        return NOTHING
    meta = row._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    return format_html('<a href="{}">{}</a>', url, row if text is None else text)


def changelist_link(model: type[Model], text: object, **filters: int | str) -> SafeString:
    """A link to a model's admin list, filtered (e.g. campaign__id__exact=3)."""
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), text)


def last_four(secret: str) -> str:
    """A secret as an admin may see it: that there is one, and its last 4 characters."""
    if not secret:
        return NOTHING
    return f"…{secret[-4:]}" if len(secret) >= SHOWN_FROM_LENGTH else "…"


class AppendOnlyAdmin(admin.ModelAdmin):
    """A table the app writes as things happen (logs, snapshots, deliveries): an admin reads
    it, and neither adds, changes nor deletes a row; fixing one is the app's job."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ComputedAdmin(admin.ModelAdmin):
    """Figures the app computes and stores: read-only here; deleting a row only makes the
    app compute it again when it is next read."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def campaigns_recompute(
    modeladmin: admin.ModelAdmin, request: HttpRequest, campaign_ids: Iterable[int]
) -> None:
    """Send each campaign's recompute to the workers (the task the pages' plan changes send)
    and say how many; a closed campaign's final report is left as it is, and said so."""
    ids = set(campaign_ids)
    final = set(
        CampaignResult.objects.filter(
            campaign_id__in=ids, final_at__isnull=False, campaign__status=CampaignStatus.CLOSED
        ).values_list("campaign_id", flat=True)
    )
    sent = sorted(Campaign.objects.filter(pk__in=ids - final).values_list("pk", flat=True))
    for campaign_id in sent:
        send_task_after_commit("tracking.tasks.recompute_campaign_results", campaign_id)
    notify(
        modeladmin,
        request,
        ngettext(
            "The figures of %(count)d campaign are being recomputed.",
            "The figures of %(count)d campaigns are being recomputed.",
            len(sent),
        ),
        len(sent),
    )
    if final:
        notify(
            modeladmin,
            request,
            ngettext(
                "%(count)d campaign is closed: its report is final (reopen it to recompute).",
                "%(count)d campaigns are closed: their reports are final (reopen them to "
                "recompute).",
                len(final),
            ),
            len(final),
            level=messages.WARNING,
        )


def notify(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    message: str,
    count: int,
    *,
    level: int = messages.SUCCESS,
) -> None:
    """An action's report: `message` is an ngettext with a %(count)d."""
    modeladmin.message_user(request, message % {"count": count}, level)
