from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kolhub.models import (
    Brand,
    ExchangeRate,
    Invitation,
    Membership,
    Notification,
    User,
    WorkerHeartbeat,
    Workspace,
)

admin.site.site_header = _("KOLHub administration")
admin.site.site_title = "KOLHub"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    filter_horizontal = ["brands"]
    fields = ["user", "role", "brands", "created_at"]
    readonly_fields = ["created_at"]


class BrandInline(admin.TabularInline):
    model = Brand
    extra = 0
    fields = ["name", "industry", "is_archived"]
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "language",
        "is_staff",
        "is_active",
        "last_login",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "currency", "language", "is_demo", "created_at"]
    list_filter = ["is_demo", "language", "currency"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BrandInline, MembershipInline]


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "industry", "is_archived", "created_at"]
    list_filter = ["is_archived", "workspace"]
    search_fields = ["name", "industry", "workspace__name"]
    list_select_related = ["workspace"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role", "workspace"]
    search_fields = ["user__email", "workspace__name"]
    list_select_related = ["user", "workspace"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["brands"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "workspace",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = [
        "role",
        "workspace",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "workspace__name"]
    list_select_related = ["workspace", "invited_by"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by"]
    filter_horizontal = ["brands"]
    date_hierarchy = "created_at"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "beat_at"]
    search_fields = ["hostname"]
    readonly_fields = ["hostname", "beat_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "message", "created_at", "read_at"]
    list_filter = ["workspace"]
    raw_id_fields = ["user"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["workspace", "currency", "into", "rate", "updated_at"]
    list_filter = ["workspace", "currency", "into"]


from kolhub import ops_admin  # noqa: E402, F401 - the operations page tables
