"""Admin of the task failures the operations page shows (imported by kolhub.admin)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kolhub.models import TaskFailure


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    # Written by the worker only (kolhub.celery.keep_task_failure): read-only here.
    list_display = ["failed_at", "task", "error_type", "message"]
    list_filter = ["task", "error_type"]
    search_fields = ["task", "error_type", "message"]
    date_hierarchy = "failed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TaskFailure | None = None) -> bool:
        return False
