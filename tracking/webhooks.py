"""The tracking events sent to a workspace's webhook endpoints (docs/webhooks.md).

Each service that does the thing calls one of these in one line; the payload is built only
when an endpoint is subscribed (kolhub.webhooks.emit).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from campaigns.webhooks import collaboration_ref
from kolhub.webhooks import emit
from tracking.ingest.providers.base import Fetched, PostOutcome
from tracking.models import Conversion, Post

# Posts per post.metrics_updated message: a bigger pull is sent as several messages.
POSTS_PER_MESSAGE = 50


def _post(post: Post) -> dict[str, Any]:
    return {
        "post_id": post.pk,
        "url": post.url,
        "platform": post.platform,
        "deliverable_id": post.deliverable_id,
        **collaboration_ref(post.collaboration),
    }


def metrics_pulled(
    posts: Sequence[Post], outcomes: dict[int, PostOutcome], *, at: datetime
) -> None:
    """post.metrics_updated: one message per pull (per POSTS_PER_MESSAGE posts) and workspace."""
    read = [post for post in posts if isinstance(outcomes.get(post.pk), Fetched)]
    if not read:
        return

    def payloads() -> list[dict[str, Any]]:
        rows = [
            {**_post(post), "status": post.status, "metrics": outcomes[post.pk].counters}  # type: ignore[union-attr]
            for post in read
        ]
        return [
            {"pulled_at": at, "posts": rows[start : start + POSTS_PER_MESSAGE]}
            for start in range(0, len(rows), POSTS_PER_MESSAGE)
        ]

    emit(workspace_id=read[0].workspace_id, event_type="post.metrics_updated", data=payloads)


def post_taken_down(post: Post) -> None:
    emit(
        workspace_id=post.workspace_id,
        event_type="post.taken_down",
        data=lambda: {
            **_post(post),
            "status": post.status,
            "published_at": post.published_at,
            "gone_at": post.gone_at,
            "min_live_days": post.collaboration.min_live_days,
        },
    )


def conversion_recorded(conversion: Conversion) -> None:
    emit(
        workspace_id=conversion.workspace_id,
        event_type="conversion.recorded",
        data=lambda: {
            "conversion_id": conversion.pk,
            "channel": conversion.channel,
            "order_id": conversion.order_id,
            "amount": conversion.amount,
            "currency": conversion.currency,
            "occurred_at": conversion.occurred_at,
            "attribution": conversion.rule,
            "promo_code": conversion.promo_code,
            "collaboration": (
                collaboration_ref(conversion.collaboration) if conversion.collaboration else None
            ),
        },
    )
