from __future__ import annotations

from django.contrib import admin

from creators.models import (
    AccountSnapshot,
    AudienceProfile,
    AudienceSample,
    Category,
    CommentSample,
    Creator,
    RateCardItem,
    SocialAccount,
    Tag,
    TierThresholds,
)


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = ["platform", "handle", "followers", "tier", "verified", "last_refreshed_at"]
    readonly_fields = ["tier"]
    show_change_link = True


class RateCardInline(admin.TabularInline):
    model = RateCardItem
    extra = 0
    fields = ["format", "price", "note"]


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
    list_filter = ["top_tier", "classification", "relationship_status", "workspace"]
    search_fields = ["display_name", "real_name", "accounts__handle", "email"]
    list_select_related = ["workspace"]
    filter_horizontal = ["categories", "tags"]
    readonly_fields = ["total_followers", "top_tier", "min_price", "created_at", "updated_at"]
    autocomplete_fields = ["owner"]
    inlines = [SocialAccountInline, RateCardInline]
    show_full_result_count = False


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = [
        "handle",
        "platform",
        "creator",
        "followers",
        "tier",
        "verified",
        "last_refreshed_at",
    ]
    list_filter = ["platform", "tier", "verified", "workspace"]
    search_fields = ["handle", "platform_id", "creator__display_name"]
    list_select_related = ["creator"]
    raw_id_fields = ["creator"]
    show_full_result_count = False


@admin.register(AccountSnapshot)
class AccountSnapshotAdmin(admin.ModelAdmin):
    list_display = ["account", "captured_on", "followers", "following", "posts_count"]
    list_filter = ["account__platform"]
    search_fields = ["account__handle"]
    date_hierarchy = "captured_on"
    raw_id_fields = ["account"]
    list_select_related = ["account"]
    show_full_result_count = False


@admin.register(AudienceProfile)
class AudienceProfileAdmin(admin.ModelAdmin):
    list_display = ["account", "captured_on", "source"]
    list_filter = ["source"]
    search_fields = ["account__handle"]
    raw_id_fields = ["account"]
    list_select_related = ["account"]


@admin.register(AudienceSample)
class AudienceSampleAdmin(admin.ModelAdmin):
    list_display = ["account", "size", "description", "created_at"]
    search_fields = ["account__handle", "description"]
    raw_id_fields = ["account"]
    readonly_fields = ["size"]


@admin.register(CommentSample)
class CommentSampleAdmin(admin.ModelAdmin):
    list_display = ["account", "size", "source", "description", "created_at"]
    list_filter = ["source"]
    search_fields = ["account__handle", "description"]
    raw_id_fields = ["account"]
    readonly_fields = ["size"]


@admin.register(Category, Tag)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name"]


@admin.register(TierThresholds)
class TierThresholdsAdmin(admin.ModelAdmin):
    list_display = ["workspace", "micro_min", "mid_min", "macro_min", "mega_min"]
