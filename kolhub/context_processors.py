from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from kolhub import selectors
from kolhub.models import Membership


class Navigation:
    """The layout's workspace and brand switchers; each list is queried once, when used."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = request.user
        self.membership: Membership | None = getattr(request, "membership", None)
        self.workspace = getattr(request, "workspace", None)

    @cached_property
    def memberships(self) -> list[Membership]:
        # Workspace pages already loaded them while resolving the workspace.
        loaded = getattr(self.request, "user_memberships", None)
        if loaded is not None:
            return loaded
        return list(selectors.user_memberships(self.user))  # type: ignore[arg-type]

    @cached_property
    def unread_notifications(self) -> int:
        if self.membership is None:
            return 0
        # Counted while resolving the workspace, on pages (kolhub.tenancy.memberships_of).
        counted = getattr(self.membership, "unread_notifications", None)
        if counted is not None:
            return counted
        return selectors.unread_notification_count(self.membership)

    @cached_property
    def brands(self) -> list[dict[str, Any]]:
        if self.membership is None:
            return []
        return selectors.nav_brands(self.membership)


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav": Navigation(request)}
