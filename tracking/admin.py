from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracking.ingest.errors import read_error
from tracking.models import ApiQuota, MetricSnapshot, PlatformConnection, Post


class ReadErrorColumn:
    @admin.display(description=_("why the last read failed"))
    def read_error_sentence(self, row: Post | PlatformConnection) -> str:
        """The stored error code in words; the platform's own words are in `last error`."""
        return read_error(row) or "—"


@admin.register(Post)
class PostAdmin(ReadErrorColumn, admin.ModelAdmin):
    list_display = [
        "url",
        "platform",
        "status",
        "views",
        "likes",
        "last_pulled_at",
        "read_error_sentence",
        "workspace",
    ]
    list_filter = ["platform", "status", "error_code", "workspace"]
    search_fields = ["url", "platform_id"]
    raw_id_fields = ["collaboration", "deliverable"]
    readonly_fields = [
        "last_pulled_at",
        "read_error_sentence",
        "error_code",
        "last_error",
        "failures",
        "gone_at",
        "gone_suspected_at",
    ]


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(admin.ModelAdmin):
    list_display = ["post", "bucket", "views", "likes", "comments", "source"]
    list_filter = ["source"]
    raw_id_fields = ["post"]


@admin.register(PlatformConnection)
class PlatformConnectionAdmin(ReadErrorColumn, admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "expires_at", "workspace", "updated_at"]
    list_filter = ["platform", "status", "kind"]
    search_fields = ["label", "external_id"]
    raw_id_fields = ["account", "connected_by"]
    # Tokens are never shown, not even to admins; connecting again replaces them.
    exclude = ["token", "refresh_token"]
    readonly_fields = [
        "read_error_sentence",
        "error_code",
        "last_error",
        "created_at",
        "updated_at",
    ]


@admin.register(ApiQuota)
class ApiQuotaAdmin(admin.ModelAdmin):
    list_display = ["platform", "credential", "day", "units"]
    list_filter = ["platform"]


from tracking import ops_admin  # noqa: E402, F401 - the operations page tables
