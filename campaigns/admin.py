from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns.models import (
    Asset,
    BriefAsset,
    BriefVersion,
    Campaign,
    CampaignEvent,
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
from campaigns.services.portal import portal_link_revoke
from kolhub.admin_helpers import ReadOnlyAdmin, WorkspaceInline, WorkspaceStackedInline, last_four

# A collaboration is named by its creator and campaign: rows that show one load both with it
# (in the same query, whatever the number of rows), and are found by either name.
COLLABORATION = ["collaboration__creator", "collaboration__campaign"]
COLLABORATION_SEARCH = ["collaboration__creator__display_name", "collaboration__campaign__name"]
DELIVERABLE = ["deliverable__collaboration__creator"]
DELIVERABLE_SEARCH = ["deliverable__collaboration__creator__display_name"]
DRAFT = ["draft__deliverable__collaboration__creator"]


class KpiTargetInline(WorkspaceInline):
    model = KpiTarget
    list_select_related = ("campaign",)


class TierBudgetInline(WorkspaceInline):
    model = TierBudget
    list_select_related = ("campaign",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "workspace", "objective", "status", "starts_on", "ends_on"]
    list_filter = ["workspace", "status", "objective"]
    search_fields = ["name", "brand__name"]
    list_select_related = ["brand", "workspace"]
    raw_id_fields = ["brand", "owner"]
    date_hierarchy = "starts_on"
    inlines = [KpiTargetInline, TierBudgetInline]


@admin.register(CampaignEvent)
class CampaignEventAdmin(ReadOnlyAdmin):
    """The campaign's status log, written by the plan pages."""

    list_display = ["created_at", "campaign", "from_status", "to_status", "actor", "workspace"]
    list_filter = ["workspace", "to_status"]
    search_fields = ["campaign__name", "actor__email"]
    list_select_related = ["campaign", "actor", "workspace"]
    date_hierarchy = "created_at"


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "metric", "target", "workspace"]
    list_filter = ["workspace", "metric"]
    search_fields = ["campaign__name"]
    list_select_related = ["campaign", "workspace"]
    raw_id_fields = ["campaign"]


@admin.register(TierBudget)
class TierBudgetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "tier", "share", "amount", "workspace"]
    list_filter = ["workspace", "tier"]
    search_fields = ["campaign__name"]
    list_select_related = ["campaign", "workspace"]
    raw_id_fields = ["campaign"]


class UploadedFileAdmin(admin.options.BaseModelAdmin):
    """Files enter through the pages, which check their type, size and pixels: here they
    are renamed or deleted, not uploaded."""

    readonly_fields = ["file", "size", "content_type"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(BriefAsset)
class BriefAssetAdmin(UploadedFileAdmin, admin.ModelAdmin):
    list_display = ["name", "campaign", "content_type", "size", "created_at", "workspace"]
    list_filter = ["workspace", "content_type"]
    search_fields = ["name", "campaign__name"]
    list_select_related = ["campaign", "workspace"]
    raw_id_fields = ["campaign"]


@admin.register(BriefVersion)
class BriefVersionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "number", "promo_code", "created_by", "created_at", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["campaign__name", "key_messages", "hashtags", "promo_code"]
    list_select_related = ["campaign", "created_by", "workspace"]
    raw_id_fields = ["campaign", "created_by"]
    autocomplete_fields = ["assets"]
    date_hierarchy = "created_at"


class DeliverableInline(WorkspaceInline):
    model = Deliverable
    fields = ["format", "platform", "draft_due", "publish_due", "status", "live_url"]
    show_change_link = True
    list_select_related = ("collaboration__creator",)


class ShipmentInline(WorkspaceStackedInline):
    model = Shipment
    list_select_related = ("collaboration__creator",)


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = [
        "creator",
        "campaign",
        "stage",
        "fee",
        "currency",
        "payment_status",
        "owner",
        "workspace",
    ]
    list_filter = ["workspace", "stage", "payment_status"]
    search_fields = ["creator__display_name", "campaign__name"]
    list_select_related = ["creator", "campaign", "owner", "workspace"]
    raw_id_fields = ["campaign", "creator", "owner", "brief_sent"]
    inlines = [DeliverableInline, ShipmentInline]
    show_full_result_count = False


@admin.register(CollaborationEvent)
class CollaborationEventAdmin(ReadOnlyAdmin):
    """The collaboration's log, written by the services of every page that moves it."""

    list_display = [
        "created_at",
        "collaboration",
        "kind",
        "from_stage",
        "to_stage",
        "actor",
        "by_creator",
        "message",
    ]
    list_filter = ["workspace", "kind", "by_creator"]
    search_fields = [*COLLABORATION_SEARCH, "message"]
    list_select_related = [*COLLABORATION, "actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = [
        "collaboration",
        "format",
        "platform",
        "status",
        "draft_due",
        "publish_due",
        "published_at",
    ]
    list_filter = ["workspace", "status", "platform", "format"]
    search_fields = [*COLLABORATION_SEARCH, "live_url"]
    list_select_related = COLLABORATION
    raw_id_fields = ["collaboration"]
    date_hierarchy = "publish_due"


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = [
        "collaboration",
        "items",
        "quantity",
        "carrier",
        "tracking_number",
        "shipped_on",
        "delivered_on",
        "received_on",
    ]
    list_filter = [
        "workspace",
        ("shipped_on", admin.EmptyFieldListFilter),
        ("received_on", admin.EmptyFieldListFilter),
    ]
    search_fields = [*COLLABORATION_SEARCH, "items", "tracking_number", "recipient_name"]
    list_select_related = COLLABORATION
    raw_id_fields = ["collaboration"]


class DraftMediaInline(UploadedFileAdmin, WorkspaceInline):
    model = DraftMedia


class ReviewCommentInline(WorkspaceInline):
    """Review decisions are the review page's record: shown, not rewritten."""

    model = ReviewComment
    fields = readonly_fields = ("author", "decision", "body", "created_at")
    list_select_related = ("author", *DRAFT)

    def has_add_permission(self, request: HttpRequest, obj: Draft | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Draft | None = None) -> bool:
        return False


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["deliverable", "version", "status", "by_creator", "submitted_at"]
    list_filter = ["workspace", "status", "by_creator"]
    search_fields = [*DELIVERABLE_SEARCH, "caption"]
    list_select_related = DELIVERABLE
    raw_id_fields = ["deliverable", "brief_version", "submitted_by"]
    inlines = [DraftMediaInline, ReviewCommentInline]


@admin.register(DraftMedia)
class DraftMediaAdmin(UploadedFileAdmin, admin.ModelAdmin):
    list_display = ["name", "draft", "content_type", "size"]
    list_filter = ["workspace", "content_type"]
    search_fields = ["name", "draft__deliverable__collaboration__creator__display_name"]
    list_select_related = DRAFT
    raw_id_fields = ["draft"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "draft", "author", "decision"]
    list_filter = ["workspace", "decision"]
    search_fields = ["body", "author__email"]
    list_select_related = [*DRAFT, "author"]


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = [
        "media",
        "campaign",
        "collaboration",
        "approved_at",
        "rights_organic",
        "rights_paid_ads",
        "rights_ends_on",
    ]
    list_filter = ["workspace", "rights_organic", "rights_paid_ads"]
    search_fields = ["media__name", "campaign__name", *COLLABORATION_SEARCH]
    list_select_related = ["media", "campaign", *COLLABORATION]
    raw_id_fields = ["campaign", "collaboration", "media"]


@admin.register(PortalLink)
class PortalLinkAdmin(admin.ModelAdmin):
    list_display = [
        "collaboration",
        "token_end",
        "language",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["workspace", "language", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = COLLABORATION_SEARCH
    list_select_related = COLLABORATION
    # The token is the creator's credential: only its end is shown, and never in a form.
    exclude = ["token"]
    readonly_fields = [
        "workspace",
        "collaboration",
        "token_end",
        "created_by",
        "created_at",
        "last_used_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A link is made on the roster, which revokes the earlier one and hands its address
        # to the team; one made here could never be opened (its token is never shown).
        return False

    @admin.display(description=_("token ends with"))
    def token_end(self, link: PortalLink) -> str:
        return last_four(link.token)

    @admin.action(description=_("Revoke selected portal links"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[PortalLink]) -> None:
        live = list(queryset.filter(revoked_at__isnull=True).select_related("collaboration"))
        for link in live:
            portal_link_revoke(link=link, user=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext("%(count)d portal link revoked.", "%(count)d portal links revoked.", len(live))
            % {"count": len(live)},
            messages.SUCCESS,
        )


@admin.register(InsightReport)
class InsightReportAdmin(admin.ModelAdmin):
    list_display = ["deliverable", "reported_at", "reach", "views", "likes", "by_creator"]
    list_filter = ["workspace", "by_creator"]
    search_fields = DELIVERABLE_SEARCH
    list_select_related = DELIVERABLE
    raw_id_fields = ["deliverable"]
    date_hierarchy = "reported_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """The reminders already sent: the daily sweep reads it so none goes out twice."""

    list_display = ["key", "kind", "collaboration", "due_on", "sent_at"]
    list_filter = ["workspace", "kind"]
    search_fields = ["key", *COLLABORATION_SEARCH]
    list_select_related = COLLABORATION
    date_hierarchy = "sent_at"
