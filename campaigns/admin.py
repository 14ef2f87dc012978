from __future__ import annotations

from typing import Any

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
    Installment,
    KpiTarget,
    Payee,
    PortalLink,
    Reminder,
    ReviewComment,
    Shipment,
    Signature,
    SignedDocument,
    TierBudget,
    WithholdingRule,
)
from campaigns.services.plan import campaign_save
from campaigns.services.portal import portal_link_revoke
from campaigns.services.roster import collaboration_update, deliverable_save, shipment_save
from kolhub.admin_helpers import (
    HTTPS_URLS,
    ReadOnlyAdmin,
    WorkspaceFromParentAdmin,
    WorkspaceInline,
    WorkspaceStackedInline,
    last_four,
)
from kolhub.celery import send_task_after_commit

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
class CampaignAdmin(WorkspaceFromParentAdmin):
    workspace_from = "brand"
    list_display = ["name", "brand", "workspace", "objective", "status", "starts_on", "ends_on"]
    list_filter = ["workspace", "status", "objective"]
    search_fields = ["name", "brand__name"]
    list_select_related = ["brand", "workspace"]
    raw_id_fields = ["brand", "owner"]
    date_hierarchy = "starts_on"
    inlines = [KpiTargetInline, TierBudgetInline]
    actions = ["recompute_results"]

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        # As on the plan page: a status change is logged, closing stores the final figures.
        self.adopt_workspace(obj)
        campaign_save(campaign=obj, user=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("Recompute results of selected campaigns"))
    def recompute_results(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        for campaign_id in ids:
            # By name: the results live in tracking, which campaigns may not import.
            send_task_after_commit("tracking.tasks.recompute_campaign_results", campaign_id)
        self.message_user(
            request,
            ngettext(
                "Results of %(count)d campaign are being recomputed.",
                "Results of %(count)d campaigns are being recomputed.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(CampaignEvent)
class CampaignEventAdmin(ReadOnlyAdmin):
    """The campaign's status log, written by the plan pages."""

    list_display = ["created_at", "campaign", "from_status", "to_status", "actor", "workspace"]
    list_filter = ["workspace", "to_status"]
    search_fields = ["campaign__name", "actor__email"]
    list_select_related = ["campaign", "actor", "workspace"]
    date_hierarchy = "created_at"


@admin.register(KpiTarget)
class KpiTargetAdmin(WorkspaceFromParentAdmin):
    workspace_from = "campaign"
    list_display = ["campaign", "metric", "target", "workspace"]
    list_filter = ["workspace", "metric"]
    search_fields = ["campaign__name"]
    list_select_related = ["campaign", "workspace"]
    raw_id_fields = ["campaign"]


@admin.register(TierBudget)
class TierBudgetAdmin(WorkspaceFromParentAdmin):
    workspace_from = "campaign"
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
class BriefAssetAdmin(UploadedFileAdmin, WorkspaceFromParentAdmin):
    workspace_from = "campaign"
    list_display = ["name", "campaign", "content_type", "size", "created_at", "workspace"]
    list_filter = ["workspace", "content_type"]
    search_fields = ["name", "campaign__name"]
    list_select_related = ["campaign", "workspace"]
    raw_id_fields = ["campaign"]


@admin.register(BriefVersion)
class BriefVersionAdmin(WorkspaceFromParentAdmin):
    formfield_overrides = HTTPS_URLS
    workspace_from = "campaign"
    list_display = ["campaign", "number", "promo_code", "created_by", "created_at", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["campaign__name", "key_messages", "hashtags", "promo_code"]
    list_select_related = ["campaign", "created_by", "workspace"]
    raw_id_fields = ["campaign", "created_by"]
    autocomplete_fields = ["assets"]
    date_hierarchy = "created_at"


class DeliverableInline(WorkspaceInline):
    formfield_overrides = HTTPS_URLS
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
    raw_id_fields = ["owner"]
    # The stage moves on the roster, by its rules and with their side effects (brief held,
    # shipments confirmed, deliverables cancelled); who and what stay as added there.
    readonly_fields = [
        "workspace",
        "campaign",
        "creator",
        "stage",
        "stage_changed_at",
        "brief_sent",
    ]
    inlines = [DeliverableInline, ShipmentInline]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Creators join a campaign on its roster, which sets their tier and fee currency.
        return False

    def save_model(self, request: HttpRequest, obj: Collaboration, form: Any, change: bool) -> None:
        collaboration_update(
            collaboration=obj,
            user=request.user,  # type: ignore[arg-type]
            changed=form.changed_data,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Deliverables and shipments are saved as the collaboration page saves them: logged,
        # and a shipping date moves a contracted collaboration to "shipped".
        user = request.user
        for row in formset.save(commit=False):
            if isinstance(row, Deliverable):
                deliverable_save(deliverable=row, user=user)  # type: ignore[arg-type]
            else:
                shipment_save(shipment=row, user=user)  # type: ignore[arg-type]
        for row in formset.deleted_objects:
            row.delete()


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
class DeliverableAdmin(WorkspaceFromParentAdmin):
    formfield_overrides = HTTPS_URLS
    workspace_from = "collaboration"
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

    def save_model(self, request: HttpRequest, obj: Deliverable, form: Any, change: bool) -> None:
        self.adopt_workspace(obj)
        deliverable_save(deliverable=obj, user=request.user)  # type: ignore[arg-type]


@admin.register(Shipment)
class ShipmentAdmin(WorkspaceFromParentAdmin):
    workspace_from = "collaboration"
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

    def save_model(self, request: HttpRequest, obj: Shipment, form: Any, change: bool) -> None:
        self.adopt_workspace(obj)
        shipment_save(shipment=obj, user=request.user)  # type: ignore[arg-type]


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
    """A draft is what the creator submitted and the review page judged: shown as it was
    (a broken one may be deleted), never submitted or rewritten here."""

    list_display = ["deliverable", "version", "status", "by_creator", "submitted_at"]
    list_filter = ["workspace", "status", "by_creator"]
    search_fields = [*DELIVERABLE_SEARCH, "caption"]
    list_select_related = DELIVERABLE
    inlines = [DraftMediaInline, ReviewCommentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Draft | None = None) -> bool:
        return False


@admin.register(DraftMedia)
class DraftMediaAdmin(UploadedFileAdmin, WorkspaceFromParentAdmin):
    workspace_from = "draft"
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
class AssetAdmin(WorkspaceFromParentAdmin):
    workspace_from = "campaign"
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


@admin.register(Payee)
class PayeeAdmin(ReadOnlyAdmin):
    """Who is paid: the identifiers and bank details are for the workspace's owners, who
    reveal them on the collaboration page (logged); here only whether they are on file."""

    list_display = ["collaboration", "kind", "legal_name", "on_file", "updated_at", "updated_via"]
    list_filter = ["workspace", "kind", "updated_via", "nhi_exempt"]
    search_fields = [*COLLABORATION_SEARCH, "legal_name"]
    list_select_related = COLLABORATION
    fields = [
        "workspace",
        "collaboration",
        "kind",
        "legal_name",
        "on_file",
        "nhi_exempt",
        "updated_at",
        "updated_via",
    ]
    readonly_fields = fields

    @admin.display(description=_("tax ID and bank details on file"), boolean=True)
    def on_file(self, payee: Payee) -> bool:
        return payee.complete


@admin.register(Installment)
class InstallmentAdmin(ReadOnlyAdmin):
    """The payout ledger: moved through its statuses on the collaboration page (approvals are
    a manager's, each move an event), read here."""

    list_display = [
        "collaboration",
        "label",
        "amount",
        "currency",
        "due_on",
        "status",
        "paid_on",
        "paid_net",
    ]
    list_filter = ["workspace", "status", "income_type", "currency"]
    search_fields = [*COLLABORATION_SEARCH, "label", "paid_reference", "invoice_number"]
    list_select_related = COLLABORATION
    date_hierarchy = "due_on"


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    can_delete = False
    fields = ["role", "name", "user", "signed_at", "document_sha256", "ip_hash", "user_agent"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    """Issued documents are evidence: never edited, a change of terms issues a new version."""

    list_display = ["title", "collaboration", "kind", "version", "created_at", "superseded_at"]
    list_filter = ["workspace", "kind", "language"]
    search_fields = [*COLLABORATION_SEARCH, "title", "sha256"]
    list_select_related = COLLABORATION
    exclude = ["body"]
    inlines = [SignatureInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["document", "role", "name", "signed_at"]
    list_filter = ["workspace", "role"]
    search_fields = ["name", "document__title", "document_sha256"]
    list_select_related = ["document"]


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
class InsightReportAdmin(WorkspaceFromParentAdmin):
    workspace_from = "deliverable"
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


@admin.register(WithholdingRule)
class WithholdingRuleAdmin(admin.ModelAdmin):
    # Global, not per workspace: the law's rates, kept current by the site's admins.
    list_display = [
        "income_type",
        "payee_kind",
        "charge",
        "rate",
        "threshold_basis",
        "threshold",
        "effective_from",
        "effective_to",
        "source_title",
    ]
    list_filter = ["charge", "income_type", "payee_kind", "effective_from"]
    search_fields = ["source_title", "note", "income_type"]
    date_hierarchy = "effective_from"
    formfield_overrides = HTTPS_URLS


# Contract templates have their admin beside their code; importing it registers it.
import campaigns.contracts.admin  # noqa: E402, F401
