from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kolhub import services
from kolhub.admin_helpers import HTTPS_URLS, ReadOnlyAdmin, last_four
from kolhub.models import (
    Brand,
    ExchangeRate,
    Invitation,
    InvitationQuerySet,
    Membership,
    Notification,
    OutgoingWebhookAttempt,
    OutgoingWebhookEndpoint,
    OutgoingWebhookMessage,
    TaskFailure,
    User,
    WorkerHeartbeat,
    Workspace,
)

admin.site.site_header = _("KOLHub administration")
admin.site.site_title = "KOLHub"


class MembershipInline(admin.TabularInline):
    """Who belongs to the workspace, at a glance. Members join by invitation or on the
    membership page (an editable user and brand picker per row would cost queries per row)."""

    model = Membership
    extra = 0
    fields = ["user", "role", "brand_names", "created_at"]
    readonly_fields = ["user", "brand_names", "created_at"]
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return (
            super()
            .get_queryset(request)
            .select_related("user", "workspace")
            .prefetch_related("brands")
        )

    def has_add_permission(self, request: HttpRequest, obj: Workspace | None = None) -> bool:
        return False

    @admin.display(description=_("brands"))
    def brand_names(self, membership: Membership) -> str:
        return ", ".join(brand.name for brand in membership.brands.all()) or "—"


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
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "workspace", "industry", "is_archived", "created_at"]
    list_filter = ["workspace", "is_archived"]
    search_fields = ["name", "industry", "workspace__name"]
    list_select_related = ["workspace"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["workspace", "role"]
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
        "state",
        "token_end",
        "invited_by",
        "created_at",
        "expires_at",
    ]
    list_filter = [
        "workspace",
        "role",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "workspace__name"]
    list_select_related = ["workspace", "invited_by"]
    # The token is the invitee's way in: only its end is shown, and never in a form.
    exclude = ["token"]
    readonly_fields = [
        "workspace",
        "email",
        "token_end",
        "invited_by",
        "created_at",
        "accepted_at",
        "accepted_by",
    ]
    filter_horizontal = ["brands"]
    date_hierarchy = "created_at"
    actions = ["resend", "revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invitations are sent from the members page, which emails the link; one made here
        # would reach nobody (its token is never shown). Resend is the action below.
        return False

    @admin.display(description=_("status"))
    def state(self, invitation: Invitation) -> str:
        return str(invitation.status.label)

    @admin.display(description=_("token ends with"))
    def token_end(self, invitation: Invitation) -> str:
        return last_four(invitation.token)

    @admin.action(description=_("Resend selected invitations"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        sent = 0
        for invitation in queryset.select_related("workspace"):
            try:
                services.invitation_resend(invitation=invitation, site_url=settings.SITE_URL)
            except services.InvitationUnusable as exc:
                self.message_user(
                    request,
                    _("Not sent to %(email)s: %(reason)s")
                    % {"email": invitation.email, "reason": exc},
                    messages.WARNING,
                )
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation sent again.", "%(count)d invitations sent again.", sent
                )
                % {"count": sent},
                messages.SUCCESS,
            )

    @admin.action(description=_("Withdraw selected invitations"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: InvitationQuerySet) -> None:
        pending = list(queryset.pending())
        for invitation in pending:
            services.invitation_revoke(invitation=invitation)
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation withdrawn.", "%(count)d invitations withdrawn.", len(pending)
            )
            % {"count": len(pending)},
            messages.SUCCESS,
        )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Written by the workers themselves; a retired worker's row may be deleted."""

    list_display = ["hostname", "beat_at"]
    search_fields = ["hostname"]
    readonly_fields = ["hostname", "beat_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What the application told whom: a log, written by the services that notify."""

    list_display = ["created_at", "user", "workspace", "message", "read_at"]
    list_filter = ["workspace", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "user__email"]
    list_select_related = ["user", "workspace"]
    date_hierarchy = "created_at"


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["workspace", "currency", "into", "rate", "updated_at"]
    list_filter = ["workspace", "currency", "into"]
    search_fields = ["currency", "into", "workspace__name"]
    list_select_related = ["workspace"]


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    # Written by the worker only (kolhub.tasks keeps a task's final failure): read-only here;
    # the operations page shows the newest of each periodic task.
    list_display = ["failed_at", "task", "error_type", "message"]
    list_filter = ["task", "error_type"]
    search_fields = ["task", "error_type", "message"]
    date_hierarchy = "failed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TaskFailure | None = None) -> bool:
        return False


@admin.register(OutgoingWebhookEndpoint)
class OutgoingWebhookEndpointAdmin(ReadOnlyAdmin):
    """Endpoints are managed by the workspace's owners in Settings → Webhooks (the secret is
    shown there once); here they are read, the secret never shown."""

    list_display = ["url", "workspace", "enabled", "consecutive_failures", "disabled_at"]
    list_filter = ["workspace", "enabled"]
    search_fields = ["url", "description", "workspace__name"]
    list_select_related = ["workspace"]
    exclude = ["secret"]


@admin.register(OutgoingWebhookMessage)
class OutgoingWebhookMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "event_type", "workspace", "created_at"]
    list_filter = ["workspace", "event_type"]
    search_fields = ["message_id", "event_type"]
    list_select_related = ["workspace"]
    date_hierarchy = "created_at"


@admin.register(OutgoingWebhookAttempt)
class OutgoingWebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ["message", "endpoint", "number", "status", "response_code", "due_at"]
    list_filter = ["workspace", "status"]
    search_fields = ["message__message_id", "endpoint__url", "error_code"]
    list_select_related = ["message", "endpoint"]
    date_hierarchy = "due_at"
