from __future__ import annotations

from django.contrib import admin

from campaigns.models import (
    Asset,
    BriefAsset,
    BriefVersion,
    Campaign,
    Collaboration,
    CollaborationEvent,
    Deliverable,
    Draft,
    DraftMedia,
    InsightReport,
    KpiTarget,
    PortalLink,
    Reminder,
    ReviewComment,
    Shipment,
    TierBudget,
)


class KpiTargetInline(admin.TabularInline):
    model = KpiTarget
    extra = 0


class TierBudgetInline(admin.TabularInline):
    model = TierBudget
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "workspace", "objective", "status", "starts_on", "ends_on"]
    list_filter = ["status", "objective", "workspace"]
    search_fields = ["name", "brand__name"]
    raw_id_fields = ["brand", "owner"]
    inlines = [KpiTargetInline, TierBudgetInline]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["format", "platform", "draft_due", "publish_due", "status", "live_url"]
    show_change_link = True


class ShipmentInline(admin.StackedInline):
    model = Shipment
    extra = 0


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["creator", "campaign", "stage", "fee", "currency", "payment_status", "owner"]
    list_filter = ["stage", "payment_status", "workspace"]
    search_fields = ["creator__display_name", "campaign__name"]
    raw_id_fields = ["campaign", "creator", "owner", "brief_sent"]
    inlines = [DeliverableInline, ShipmentInline]


class DraftMediaInline(admin.TabularInline):
    model = DraftMedia
    extra = 0


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["deliverable", "version", "status", "by_creator", "submitted_at"]
    list_filter = ["status", "by_creator"]
    raw_id_fields = ["deliverable", "brief_version", "submitted_by"]
    inlines = [DraftMediaInline, ReviewCommentInline]


@admin.register(PortalLink)
class PortalLinkAdmin(admin.ModelAdmin):
    list_display = ["collaboration", "language", "expires_at", "revoked_at", "last_used_at"]
    raw_id_fields = ["collaboration", "created_by"]
    # The token is the creator's credential: never shown in the admin.
    exclude = ["token"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "collaboration", "due_on", "sent_at"]
    list_filter = ["kind", "workspace"]
    raw_id_fields = ["collaboration"]


for model in (
    BriefVersion,
    BriefAsset,
    Deliverable,
    Shipment,
    CollaborationEvent,
    Asset,
    InsightReport,
):
    admin.site.register(
        model,
        raw_id_fields=[
            f.name for f in model._meta.get_fields() if f.many_to_one and f.name != "workspace"
        ],
    )
