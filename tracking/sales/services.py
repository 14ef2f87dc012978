"""Writes of tracked links (promo codes, feeds and conversions: tracking.sales.conversions)."""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from campaigns.models import (
    Collaboration,
    Deliverable,
)
from kolhub.models import User
from tracking.models import (
    TrackedLink,
)

logger = logging.getLogger(__name__)


# Tracked links --------------------------------------------------------------------------------


def utm_defaults(collaboration: Collaboration, deliverable: Deliverable | None) -> dict[str, str]:
    """utm_source = the platform, utm_medium = influencer, utm_campaign = the campaign,
    utm_content = the creator's handle: what analytics tools group influencer traffic by."""
    creator = collaboration.creator
    accounts = list(creator.accounts.all())
    platform = deliverable.platform if deliverable else (accounts[0].platform if accounts else "")
    account = next(
        (a for a in accounts if a.platform == platform), accounts[0] if accounts else None
    )
    campaign = collaboration.campaign
    return {
        "utm_source": platform or "influencer",
        "utm_medium": "influencer",
        "utm_campaign": _ascii_slug(campaign.name) or f"campaign-{campaign.pk}",
        "utm_content": (account.handle if account else "")
        or slugify(creator.display_name)
        or f"creator-{creator.pk}",
    }


def _ascii_slug(name: str) -> str:
    """A slug for analytics tools; a name with hardly any Latin letters (中文) gives none."""
    slug = slugify(name)
    return slug if len(re.findall(r"[a-z]", slug)) >= 3 else ""


def tracked_link_create(
    *, collaboration: Collaboration, user: User | None, **fields: Any
) -> TrackedLink:
    """A new link with an unguessable code (64 random bits; a collision is simply retried)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    workspace_id=collaboration.workspace_id,
                    collaboration=collaboration,
                    code=secrets.token_urlsafe(8),
                    created_by=user,
                    **fields,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a unique link code")  # pragma: no cover


def tracked_link_deactivate(*, link: TrackedLink) -> None:
    """The short URL stops redirecting (a 404 page), in every web process within about a
    second (tracking/link_cache.py); its clicks stay."""
    link.is_active = False
    link.save(update_fields=["is_active"])
