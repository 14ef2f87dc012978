"""Admin of the refused webhooks the operations page shows (imported by tracking.admin)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from tracking.models import WebhookRefusal


@admin.register(WebhookRefusal)
class WebhookRefusalAdmin(admin.ModelAdmin):
    # Written by the webhook views only (tracking.sales.intake_views): read-only here.
    list_display = ["refused_at", "workspace", "feed", "status", "reason"]
    list_filter = ["workspace", "status", "feed__channel"]
    list_select_related = ["workspace", "feed"]
    search_fields = ["reason", "feed__label", "workspace__name"]
    date_hierarchy = "refused_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: WebhookRefusal | None = None
    ) -> bool:
        return False
