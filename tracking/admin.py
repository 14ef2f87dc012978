from __future__ import annotations

from django.contrib import admin

from tracking.models import ApiQuota, MetricSnapshot, PlatformConnection, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["url", "platform", "status", "views", "likes", "last_pulled_at", "workspace"]
    list_filter = ["platform", "status", "workspace"]
    search_fields = ["url", "platform_id"]
    raw_id_fields = ["collaboration", "deliverable"]
    readonly_fields = ["last_pulled_at", "last_error", "failures", "gone_at"]


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(admin.ModelAdmin):
    list_display = ["post", "bucket", "views", "likes", "comments", "source"]
    list_filter = ["source"]
    raw_id_fields = ["post"]


@admin.register(PlatformConnection)
class PlatformConnectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "expires_at", "workspace", "updated_at"]
    list_filter = ["platform", "status", "kind"]
    search_fields = ["label", "external_id"]
    raw_id_fields = ["account", "connected_by"]
    # Tokens are never shown, not even to admins; connecting again replaces them.
    exclude = ["token", "refresh_token"]
    readonly_fields = ["last_error", "created_at", "updated_at"]


@admin.register(ApiQuota)
class ApiQuotaAdmin(admin.ModelAdmin):
    list_display = ["platform", "credential", "day", "units"]
    list_filter = ["platform"]
