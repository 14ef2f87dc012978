"""API tokens in the admin: read, never their secret (only its SHA-256 is stored at all);
owners and managers create and revoke them in Settings → API."""

from __future__ import annotations

from django.contrib import admin

from api.models import ApiToken
from kolhub.admin_helpers import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "workspace", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["workspace"]
    search_fields = ["name", "prefix", "workspace__name"]
    list_select_related = ["workspace"]
    exclude = ["secret_hash"]
