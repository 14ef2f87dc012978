"""Reading platforms in the admin: followed posts and their snapshots, connections and the
quota they spend, and the accounts' own latest posts."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracking.admin.common import (
    AppendOnlyAdmin,
    campaigns_recompute,
    change_link,
    last_four,
    notify,
)
from tracking.ingest import refresh
from tracking.ingest.errors import read_error
from tracking.models import AccountPost, ApiQuota, MetricSnapshot, PlatformConnection, Post

# What a "Refresh now" started from the admin is filed under (the pages file theirs under a
# collaboration or a campaign, whose panel follows the progress).
ADMIN_SCOPE = ("admin", 0)


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
        "collaboration_link",
        "views",
        "likes",
        "last_pulled_at",
        "next_pull_at",
        "read_error_sentence",
        "workspace",
    ]
    list_filter = ["workspace", "platform", "status", "error_code"]
    list_select_related = ["workspace", "collaboration__creator", "collaboration__campaign"]
    search_fields = [
        "url",
        "platform_id",
        "collaboration__creator__display_name",
        "collaboration__campaign__name",
    ]
    autocomplete_fields = ["workspace"]
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
    actions = ["repull", "recompute_campaigns"]

    @admin.display(description=_("collaboration"), ordering="collaboration")
    def collaboration_link(self, post: Post) -> str:
        return change_link(post.collaboration)

    @admin.action(description=_("Re-pull the selected posts now"), permissions=["change"])
    def repull(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        """The pages' "Refresh now", a call per workspace: the posts go to the workers in
        the usual batches (a short link not yet resolved cannot be read, and is left)."""
        by_workspace: dict[int, list[int]] = defaultdict(list)
        for workspace_id, pk in queryset.values_list("workspace_id", "pk"):
            by_workspace[workspace_id].append(pk)
        sent = 0
        for workspace_id, post_ids in by_workspace.items():
            token = refresh.refresh_now(
                workspace_id=workspace_id, post_ids=post_ids, scope=ADMIN_SCOPE
            )
            progress = refresh.refresh_progress(token, workspace_id=workspace_id)
            sent += progress["total"] if progress else 0
        notify(
            self,
            request,
            ngettext(
                "%(count)d post was sent to the workers to be read again.",
                "%(count)d posts were sent to the workers to be read again.",
                sent,
            ),
            sent,
        )

    @admin.action(description=_("Recompute the figures of the selected posts' campaigns"))
    def recompute_campaigns(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        campaigns_recompute(
            self, request, queryset.values_list("collaboration__campaign_id", flat=True)
        )


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(AppendOnlyAdmin):
    list_display = [
        "post",
        "bucket",
        "captured_at",
        "source",
        "views",
        "likes",
        "comments",
        "shares",
        "workspace",
    ]
    list_filter = ["workspace", "source"]
    list_select_related = ["workspace", "post"]
    search_fields = ["post__url", "post__platform_id"]
    raw_id_fields = ["post"]


@admin.register(PlatformConnection)
class PlatformConnectionAdmin(ReadErrorColumn, admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "login",
        "status",
        "account",
        "token_ending",
        "expires_at",
        "read_error_sentence",
        "workspace",
        "updated_at",
    ]
    list_filter = ["workspace", "platform", "status", "kind", "login"]
    list_select_related = ["workspace", "account"]
    search_fields = ["label", "external_id", "account__handle"]
    autocomplete_fields = ["workspace"]
    raw_id_fields = ["account", "connected_by", "portal_link"]
    # Tokens are never shown, not even to admins (only their last 4 characters, to tell two
    # apart); connecting again replaces them.
    exclude = ["token", "refresh_token"]
    readonly_fields = [
        "token_ending",
        "refresh_token_ending",
        "read_error_sentence",
        "error_code",
        "last_error",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("token"))
    def token_ending(self, connection: PlatformConnection) -> str:
        return last_four(connection.token)

    @admin.display(description=_("refresh token"))
    def refresh_token_ending(self, connection: PlatformConnection) -> str:
        return last_four(connection.refresh_token)


@admin.register(ApiQuota)
class ApiQuotaAdmin(AppendOnlyAdmin):
    list_display = ["day", "platform", "credential", "units"]
    list_filter = ["platform", "day"]
    search_fields = ["credential"]


@admin.register(AccountPost)
class AccountPostAdmin(AppendOnlyAdmin):
    list_display = [
        "account",
        "platform_id",
        "published_at",
        "views",
        "likes",
        "comments",
        "read_at",
        "workspace",
    ]
    list_filter = ["workspace", "account__platform"]
    list_select_related = ["workspace", "account"]
    search_fields = ["account__handle", "platform_id", "url"]
    raw_id_fields = ["account"]
