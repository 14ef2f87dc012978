from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from creators.export_models import DirectoryExport
from creators.models import (
    AccountSnapshot,
    AudienceProfile,
    AudienceSample,
    Category,
    CommentSample,
    Creator,
    CreatorImport,
    RateCardItem,
    Shortlist,
    SocialAccount,
    Tag,
    TierThresholds,
)
from creators.services.directory import creators_refresh_summary, tier_thresholds_update
from kolhub.admin_helpers import (
    HTTPS_URLS,
    ReadOnlyAdmin,
    WorkspaceFromParentAdmin,
    WorkspaceInline,
)

# Rows about one account are found by its handle or by its creator's name.
ACCOUNT_SEARCH = ["account__handle", "account__creator__display_name"]


class DirectoryCurrentAdmin(WorkspaceFromParentAdmin):
    """Rows the creator directory sums up (followers, tiers, lowest price, search words):
    after a change here the creator's columns are recomputed, as after the profile page."""

    workspace_from = "creator"

    def _refresh(self, row: SocialAccount | RateCardItem) -> None:
        creators_refresh_summary(workspace=row.workspace, creator_ids=[row.creator_id])

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._refresh(obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        self._refresh(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        rows = list(queryset.select_related("workspace"))
        super().delete_queryset(request, queryset)
        for row in rows:
            self._refresh(row)


class SocialAccountInline(WorkspaceInline):
    formfield_overrides = HTTPS_URLS
    model = SocialAccount
    fields = ["platform", "handle", "followers", "tier", "verified", "last_refreshed_at"]
    readonly_fields = ["tier"]
    show_change_link = True


class RateCardInline(WorkspaceInline):
    model = RateCardItem
    fields = ["format", "price", "note"]
    list_select_related = ("creator",)


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "workspace",
        "top_tier",
        "total_followers",
        "classification",
        "relationship_status",
        "region",
        "updated_at",
    ]
    list_filter = ["workspace", "top_tier", "classification", "relationship_status"]
    search_fields = ["display_name", "real_name", "accounts__handle", "email"]
    list_select_related = ["workspace"]
    filter_horizontal = ["categories", "tags"]
    readonly_fields = ["total_followers", "top_tier", "min_price", "created_at", "updated_at"]
    autocomplete_fields = ["owner"]
    inlines = [SocialAccountInline, RateCardInline]
    show_full_result_count = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Labels, accounts and rates are saved by now: the directory columns follow them.
        creator = form.instance
        creators_refresh_summary(workspace=creator.workspace, creator_ids=[creator.pk])


@admin.register(SocialAccount)
class SocialAccountAdmin(WorkspaceFromParentAdmin):
    formfield_overrides = HTTPS_URLS
    workspace_from = "creator"
    list_display = [
        "handle",
        "platform",
        "creator",
        "followers",
        "tier",
        "verified",
        "last_refreshed_at",
        "workspace",
    ]
    list_filter = ["workspace", "platform", "tier", "verified"]
    search_fields = ["handle", "platform_id", "creator__display_name"]
    list_select_related = ["creator", "workspace"]
    raw_id_fields = ["creator"]
    show_full_result_count = False


@admin.register(AccountSnapshot)
class AccountSnapshotAdmin(ReadOnlyAdmin):
    """Written by the account refresh, one row a day: the history the charts draw."""

    list_display = ["account", "captured_on", "followers", "following", "posts_count"]
    list_filter = ["workspace", "account__platform"]
    search_fields = ACCOUNT_SEARCH
    date_hierarchy = "captured_on"
    list_select_related = ["account"]
    show_full_result_count = False


@admin.register(AudienceProfile)
class AudienceProfileAdmin(WorkspaceFromParentAdmin):
    workspace_from = "account"
    list_display = ["account", "captured_on", "source", "workspace"]
    list_filter = ["workspace", "source"]
    search_fields = ACCOUNT_SEARCH
    raw_id_fields = ["account"]
    list_select_related = ["account", "workspace"]


class SampleAdmin(WorkspaceFromParentAdmin):
    """Samples are made on the creator's page from an uploaded or pasted list (hashed,
    counted, bounded): here they are described or deleted, not made."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AudienceSample)
class AudienceSampleAdmin(SampleAdmin):
    workspace_from = "account"
    list_display = ["account", "size", "description", "created_at", "workspace"]
    list_filter = ["workspace"]
    search_fields = [*ACCOUNT_SEARCH, "description"]
    raw_id_fields = ["account"]
    readonly_fields = ["size"]
    list_select_related = ["account", "workspace"]


@admin.register(CommentSample)
class CommentSampleAdmin(SampleAdmin):
    workspace_from = "account"
    list_display = ["account", "size", "source", "description", "created_at", "workspace"]
    list_filter = ["workspace", "source"]
    search_fields = [*ACCOUNT_SEARCH, "description"]
    raw_id_fields = ["account"]
    readonly_fields = ["size", "source", "comments"]
    list_select_related = ["account", "workspace"]


@admin.register(Category, Tag)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name"]
    list_select_related = ["workspace"]


@admin.register(TierThresholds)
class TierThresholdsAdmin(admin.ModelAdmin):
    list_display = ["workspace", "micro_min", "mid_min", "macro_min", "mega_min"]
    list_filter = ["workspace"]
    search_fields = ["workspace__name"]
    list_select_related = ["workspace"]

    def save_model(
        self, request: HttpRequest, obj: TierThresholds, form: Any, change: bool
    ) -> None:
        # As on the settings page: every account and creator of the workspace is re-tiered.
        tier_thresholds_update(thresholds=obj)


@admin.register(RateCardItem)
class RateCardItemAdmin(DirectoryCurrentAdmin):
    list_display = ["creator", "format", "price", "note", "workspace"]
    list_filter = ["workspace", "format"]
    search_fields = ["creator__display_name", "note"]
    raw_id_fields = ["creator"]
    list_select_related = ["creator", "workspace"]


@admin.register(CreatorImport)
class CreatorImportAdmin(admin.ModelAdmin):
    """An import is started and run from the roster's import page; here it is inspected,
    and a stuck or unwanted one deleted."""

    list_display = ["filename", "status", "created_by", "created_at", "workspace"]
    list_filter = ["workspace", "status"]
    search_fields = ["filename", "created_by__email"]
    list_select_related = ["created_by", "workspace"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CreatorImport | None = None) -> bool:
        return False


@admin.register(DirectoryExport)
class DirectoryExportAdmin(admin.ModelAdmin):
    """A directory export is asked for on the directory page and built by a worker; here it
    is inspected, and a stuck one deleted (the next click builds it again)."""

    list_display = ["file_format", "language", "status", "requested_by", "created_at",
                    "workspace"]  # fmt: skip
    list_filter = ["workspace", "status", "file_format"]
    search_fields = ["requested_by__email"]
    list_select_related = ["requested_by", "workspace"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "created_by", "creator_count", "created_at", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name", "brand__name"]
    list_select_related = ["brand", "created_by", "workspace"]
    raw_id_fields = ["brand", "created_by"]
    autocomplete_fields = ["creators"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Shortlist]:
        return super().get_queryset(request).annotate(creators_count=Count("creators"))

    @admin.display(description=_("creators"), ordering="creators_count")
    def creator_count(self, shortlist: Shortlist) -> int:
        return shortlist.creators_count  # type: ignore[attr-defined]
