from __future__ import annotations

from django.contrib import admin

from tracking.models import MetricSnapshot, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["url", "platform", "status", "views", "likes", "last_pulled_at", "workspace"]
    list_filter = ["platform", "status", "workspace"]
    search_fields = ["url", "platform_id"]
    raw_id_fields = ["collaboration", "deliverable"]


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(admin.ModelAdmin):
    list_display = ["post", "bucket", "views", "likes", "comments", "source"]
    list_filter = ["source"]
    raw_id_fields = ["post"]
