"""Outgoing webhooks (Standard Webhooks) for the workspace's own systems: docs/webhooks.md.

Every app emits through `emit`; nothing is stored when no endpoint is subscribed.
"""

from __future__ import annotations

from kolhub.webhooks.services import emit

__all__ = ["emit"]
