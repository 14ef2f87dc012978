"""Results in the admin: stored campaign results and account scores (computed, read-only),
the tables they read (EMV rates, engagement benchmarks), share links and recompute marks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracking import marks
from tracking.admin.common import (
    AppendOnlyAdmin,
    ComputedAdmin,
    campaigns_recompute,
    change_link,
    changelist_link,
    last_four,
    notify,
)
from tracking.models import (
    AccountScore,
    CampaignResult,
    CampaignResultLine,
    Conversion,
    EmvRate,
    EngagementBenchmark,
    RecomputeMark,
    ReportFile,
    SharedReport,
)
from tracking.results import services
from tracking.results.dashboards import FIGURES, format_figure

KEY_FIGURES = ("views", "engagements", "conversions", "revenue", "roas")


class MarksStaleAdmin(admin.ModelAdmin):
    """A table stored figures are computed from: a change here makes them stale, as the
    same change made on the settings pages does (tracking.marks)."""

    def figures_stale(self, workspace_id: int) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.figures_stale(obj.workspace_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        self.figures_stale(obj.workspace_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        workspaces = set(queryset.values_list("workspace_id", flat=True))
        super().delete_queryset(request, queryset)
        for workspace_id in workspaces:
            self.figures_stale(workspace_id)


@admin.register(EmvRate)
class EmvRateAdmin(MarksStaleAdmin):
    list_display = ["platform", "action", "value", "currency", "workspace"]
    list_filter = ["workspace", "platform", "action"]
    list_select_related = ["workspace"]
    search_fields = ["workspace__name", "platform", "action"]
    autocomplete_fields = ["workspace"]

    def figures_stale(self, workspace_id: int) -> None:
        marks.workspace_campaigns_changed(workspace_id)


@admin.register(EngagementBenchmark)
class EngagementBenchmarkAdmin(MarksStaleAdmin):
    list_display = ["platform", "tier", "rate", "workspace"]
    list_filter = ["workspace", "platform", "tier"]
    list_select_related = ["workspace"]
    search_fields = ["workspace__name", "platform", "tier"]
    autocomplete_fields = ["workspace"]

    def figures_stale(self, workspace_id: int) -> None:
        marks.account_scores_changed([workspace_id])


class FinalFilter(admin.SimpleListFilter):
    title = _("final")
    parameter_name = "final"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("yes", _("Final report")), ("no", _("Live figures"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(final_at__isnull=self.value() == "no")
        return queryset


@admin.register(CampaignResult)
class CampaignResultAdmin(ComputedAdmin):
    list_display = [
        "campaign_link",
        "computed_at",
        "final_at",
        "key_figures",
        "workspace",
    ]
    list_filter = ["workspace", FinalFilter]
    list_select_related = ["workspace", "campaign"]
    search_fields = ["campaign__name"]
    # The figures themselves are long JSON: the key ones are columns, the rest on the page.
    exclude = ["series"]
    readonly_fields = ["campaign_link", "key_figures", "conversions_link"]
    actions = ["recompute"]

    @admin.display(description=_("campaign"), ordering="campaign__name")
    def campaign_link(self, result: CampaignResult) -> str:
        return change_link(result.campaign)

    @admin.display(description=_("key figures"))
    def key_figures(self, result: CampaignResult) -> str:
        """The figures the campaign's page opens with, formatted as the page formats them."""
        report, currency = result.report, result.report.get("currency", "")
        return " · ".join(
            f"{FIGURES[name].label} {format_figure(report.get(name), FIGURES[name].kind, currency)}"
            for name in KEY_FIGURES
        )

    @admin.display(description=_("conversions"))
    def conversions_link(self, result: CampaignResult) -> str:
        return changelist_link(
            Conversion,
            _("Orders attributed to this campaign"),
            collaboration__campaign__id__exact=result.campaign_id,
        )

    @admin.action(description=_("Recompute the selected campaigns' results"))
    def recompute(self, request: HttpRequest, queryset: QuerySet[CampaignResult]) -> None:
        campaigns_recompute(self, request, queryset.values_list("campaign_id", flat=True))


@admin.register(CampaignResultLine)
class CampaignResultLineAdmin(ComputedAdmin):
    """A creator row of a stored report, as Insights add it up: written with the report and
    replaced with it, so it is not deleted here either (recompute the campaign instead)."""

    list_display = ["campaign", "collaboration_id", "tier", "platform", "cost", "engagements",
                    "workspace"]  # fmt: skip
    list_filter = ["workspace"]
    list_select_related = ["workspace", "campaign"]
    search_fields = ["campaign__name"]
    exclude = ["collaboration", "creator"]
    readonly_fields = ["collaboration_id", "creator_id"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportFile)
class ReportFileAdmin(ComputedAdmin):
    """A report file the worker built: deleting one only makes the next export build it
    again."""

    list_display = ["campaign", "file_format", "language", "status", "computed_at",
                    "created_at", "workspace"]  # fmt: skip
    list_filter = ["workspace", "status", "file_format"]
    list_select_related = ["workspace", "campaign"]
    search_fields = ["campaign__name"]


@admin.register(SharedReport)
class SharedReportAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "label",
        "token_ending",
        "active",
        "expires_at",
        "revoked_at",
        "last_viewed_at",
        "created_by",
        "workspace",
    ]
    list_filter = ["workspace", "revoked_at", "expires_at"]
    list_select_related = ["workspace", "campaign", "created_by"]
    search_fields = ["label", "campaign__name"]
    raw_id_fields = ["campaign", "created_by"]
    readonly_fields = [
        "workspace",
        "token_ending",
        "created_at",
        "created_by",
        "revoked_at",
        "last_viewed_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A share link is made on the campaign's results page (shared_report_create).
        return False

    @admin.display(description=_("link key"))
    def token_ending(self, share: SharedReport) -> str:
        return last_four(share.token)

    @admin.display(description=_("opens"), boolean=True)
    def active(self, share: SharedReport) -> bool:
        return share.is_active(timezone.now())

    @admin.action(description=_("Revoke the selected share links"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[SharedReport]) -> None:
        open_links = list(queryset.filter(revoked_at__isnull=True))
        for share in open_links:
            services.shared_report_revoke(share=share)
        notify(
            self,
            request,
            ngettext(
                "%(count)d share link no longer opens the report.",
                "%(count)d share links no longer open the report.",
                len(open_links),
            ),
            len(open_links),
        )


@admin.register(AccountScore)
class AccountScoreAdmin(ComputedAdmin):
    list_display = [
        "account",
        "authenticity",
        "engagement_rate",
        "benchmark",
        "sponsored_vs_organic",
        "posts_used",
        "computed_at",
        "workspace",
    ]
    list_filter = ["workspace", "account__platform"]
    list_select_related = ["workspace", "account"]
    search_fields = ["account__handle"]


@admin.register(RecomputeMark)
class RecomputeMarkAdmin(AppendOnlyAdmin):
    list_display = ["kind", "target", "since"]
    list_filter = ["kind"]
    search_fields = ["target"]
