"""Building blocks the apps' admin modules share: read-only logs, masked secrets, inlines
that take their workspace from the row they sit in."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

# An address typed without its scheme is an https one, as on the pages' own forms.
HTTPS_URLS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyAdmin(admin.ModelAdmin):
    """A table the application appends to as a record of what happened: an admin reads it,
    nobody rewrites history from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def last_four(secret: str) -> str:
    """A secret as an admin may see it: enough to tell two apart, never enough to use."""
    if not secret:
        return "—"
    return "…" + secret[-4:]


class _WorkspaceFromParentFormSet(BaseInlineFormSet):
    def save_new(self, form: Any, commit: bool = True) -> Any:
        # Every tenant row carries its workspace; a row added inline belongs to its parent's.
        form.instance.workspace_id = self.instance.workspace_id
        return super().save_new(form, commit)


class WorkspaceInline(admin.TabularInline):
    """An inline of tenant rows: the workspace is the parent's, not a field to pick (a
    select per inline row would also cost a query per row)."""

    formset = _WorkspaceFromParentFormSet
    exclude = ["workspace"]
    extra = 0
    # What each row's name reads (the inline prints it above the row): loaded with the rows,
    # or every row would cost its own queries.
    list_select_related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class WorkspaceStackedInline(WorkspaceInline):
    template = admin.StackedInline.template


class WorkspaceFromParentAdmin(admin.ModelAdmin):
    """A row whose parent names its workspace: the workspace follows the parent and is not
    a field to pick, so a row can never sit in another workspace than its parent."""

    workspace_from: str = ""

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [*(super().get_exclude(request, obj) or []), "workspace"]

    def adopt_workspace(self, obj: Any) -> None:
        obj.workspace_id = getattr(obj, self.workspace_from).workspace_id

    # `obj` is Any: the admins built on this one name their own model in their overrides.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.adopt_workspace(obj)
        super().save_model(request, obj, form, change)
