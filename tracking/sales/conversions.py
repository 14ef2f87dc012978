"""Writes about orders: promo codes, sales feeds, recording orders and refunds, attributing
them to creators (tracked links: tracking.sales.services; clicks: tracking.sales.clicks).

Attribution, in this order: a promo code of a collaboration (any case); then a tracked
link's click id, if the click came within the feed's window before the order; then the
order's utm_content matching a tracked link's; else the order stays unattributed (and is
looked at again when the click it names is stored: clicks reach the database seconds after
the redirect, and a quick buyer's order can arrive first).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Collaboration
from kolhub.models import webhook_secret
from tracking import marks, webhooks
from tracking.models import (
    AttributionRule,
    Click,
    Conversion,
    PromoCode,
    SalesChannel,
    SalesFeed,
    TrackedLink,
)
from tracking.sales.orders import UTM_FIELDS, Order

DEFAULT_WINDOW_DAYS = 30
# A click a little after the order's own timestamp is still its click (clocks differ).
CLOCK_SLACK = timedelta(minutes=10)
# How long an order that names a not-yet-stored click waits for it.
RECENT_ORDERS = timedelta(days=1)


# Promo codes ----------------------------------------------------------------------------------


def promo_code_suggestion(collaboration: Collaboration, pattern: str) -> str:
    """From the brief's code: {HANDLE} or {NAME} in it are filled in; a plain code such as
    MIST15 becomes the creator's handle plus its digits (MEIDAILY15)."""
    handle = next((a.handle for a in collaboration.creator.accounts.all()), "")
    handle_part = re.sub(r"[^A-Za-z0-9]", "", handle).upper()[:12]
    name_part = re.sub(r"[^A-Za-z0-9]", "", collaboration.creator.display_name).upper()[:12]
    if "{" in pattern:
        filled = pattern.replace("{HANDLE}", handle_part or name_part)
        return filled.replace("{NAME}", name_part or handle_part).upper()[:40]
    digits = "".join(re.findall(r"\d+", pattern))
    return f"{handle_part or name_part or 'CREATOR'}{digits}"[:40]


def promo_code_add(*, collaboration: Collaboration, code: str) -> PromoCode:
    code = code.strip()
    if not re.fullmatch(r"[A-Za-z0-9_\-]{2,40}", code):
        raise ValidationError(
            _("A promo code has 2 to 40 letters, digits, hyphens or underscores.")
        )
    try:
        with transaction.atomic():
            return PromoCode.objects.create(
                workspace_id=collaboration.workspace_id, collaboration=collaboration, code=code
            )
    except IntegrityError:
        raise ValidationError(
            _("%(code)s is already another collaboration's code in this workspace.")
            % {"code": code.upper()}
        ) from None


# Orders ---------------------------------------------------------------------------------------


def attribute(workspace_id: int, order: Order, window_days: int) -> tuple[int | None, str]:
    """(collaboration id, rule) for an order; (None, NONE) when nothing points to a creator."""
    normalised = [code.upper() for code in order.promo_codes]
    if normalised:
        promo = PromoCode.objects.filter(workspace_id=workspace_id, normalised__in=normalised)
        found = promo.values_list("collaboration_id", flat=True).first()
        if found is not None:
            return found, AttributionRule.PROMO_CODE
    if order.click_id:
        click = (
            Click.objects.filter(workspace_id=workspace_id, click_id=order.click_id)
            .values("link__collaboration_id", "occurred_at")
            .first()
        )
        if click and _within(click["occurred_at"], order, window_days):
            return click["link__collaboration_id"], AttributionRule.CLICK_ID
    content = order.utm.get("utm_content", "")
    if content:
        link = (
            TrackedLink.objects.filter(workspace_id=workspace_id, utm_content__iexact=content)
            .order_by("-created_at")
            .values_list("collaboration_id", flat=True)
            .first()
        )
        if link is not None:
            return link, AttributionRule.UTM_CONTENT
    return None, AttributionRule.NONE


def _within(clicked_at, order: Order, window_days: int) -> bool:
    return (
        order.occurred_at - timedelta(days=window_days)
        <= clicked_at
        <= order.occurred_at + CLOCK_SLACK
    )


@transaction.atomic
def conversion_record(
    *, workspace_id: int, channel: str, order: Order, window_days: int = DEFAULT_WINDOW_DAYS
) -> tuple[Conversion, bool]:
    """Record an order once per (workspace, channel, order id); a later delivery of the same
    order updates what changed (refunds, a cancellation). Returns (conversion, created)."""
    existing = (
        Conversion.objects.select_for_update()
        .filter(workspace_id=workspace_id, channel=channel, order_id=order.order_id)
        .first()
    )
    if existing is not None:
        _update(existing, order, window_days)
        return existing, False
    collaboration_id, rule = attribute(workspace_id, order, window_days)
    try:
        with transaction.atomic():
            conversion = Conversion.objects.create(
                workspace_id=workspace_id,
                channel=channel,
                order_id=order.order_id,
                amount=order.amount,
                currency=order.currency,
                refunded=min(order.refunded, order.amount),
                cancelled=order.cancelled,
                occurred_at=order.occurred_at,
                promo_code=",".join(order.promo_codes)[:100],
                click_id=order.click_id,
                collaboration_id=collaboration_id,
                rule=rule,
                **{name: order.utm.get(name, "") for name in UTM_FIELDS},
            )
    except IntegrityError:
        # Another delivery of the same new order (a pixel fired twice at once) won the race:
        # this one is an update of the order it recorded.
        existing = Conversion.objects.select_for_update().get(
            workspace_id=workspace_id, channel=channel, order_id=order.order_id
        )
        _update(existing, order, window_days)
        return existing, False
    marks.collaborations_changed([collaboration_id])
    webhooks.conversion_recorded(conversion)
    return conversion, True


def _update(conversion: Conversion, order: Order, window_days: int) -> None:
    # The feed states the order's whole refunded total each time: refunds only grow.
    conversion.refunded = min(max(conversion.refunded, order.refunded), conversion.amount)
    conversion.cancelled = conversion.cancelled or order.cancelled
    if conversion.rule == AttributionRule.NONE:
        conversion.collaboration_id, conversion.rule = attribute(
            conversion.workspace_id, order, window_days
        )
    conversion.save(update_fields=["refunded", "cancelled", "collaboration", "rule"])
    marks.collaborations_changed([conversion.collaboration_id])


def conversion_refund(*, workspace_id: int, channel: str, order_id: str, amount: Decimal) -> bool:
    """A refund event: less revenue for that order (never below zero). False if unknown."""
    with transaction.atomic():
        conversion = (
            Conversion.objects.select_for_update()
            .filter(workspace_id=workspace_id, channel=channel, order_id=order_id)
            .first()
        )
        if conversion is None:
            return False
        conversion.refunded = min(conversion.refunded + amount, conversion.amount)
        conversion.save(update_fields=["refunded"])
        marks.collaborations_changed([conversion.collaboration_id])
    return True


def conversions_attribute_clicks_unscoped(click_ids: Iterable[str]) -> int:
    """Orders that named a click stored only now are attributed to it, if in the window.

    Such orders are few and recent (the click follows within seconds), so they are listed
    first and matched against the new clicks here, not the other way round.
    """
    new = set(click_ids)
    recent = Conversion.objects.filter(
        rule__in=[AttributionRule.NONE, AttributionRule.UTM_CONTENT],
        created_at__gte=timezone.now() - RECENT_ORDERS,
    ).exclude(click_id="")
    waiting = [c for c in recent if c.click_id in new]
    if not waiting:
        return 0
    windows = dict(
        SalesFeed.objects.filter(workspace_id__in={c.workspace_id for c in waiting})
        .values("workspace_id")
        .annotate(days=Max("attribution_days"))
        .values_list("workspace_id", "days")
    )
    changed = 0
    for conversion in waiting:
        order = Order(
            order_id=conversion.order_id,
            amount=conversion.amount,
            currency=conversion.currency,
            occurred_at=conversion.occurred_at,
            click_id=conversion.click_id,
        )
        window = windows.get(conversion.workspace_id, DEFAULT_WINDOW_DAYS)
        collaboration_id, rule = attribute(conversion.workspace_id, order, window)
        if rule == AttributionRule.CLICK_ID:
            conversion.collaboration_id, conversion.rule = collaboration_id, rule
            conversion.save(update_fields=["collaboration", "rule"])
            changed += 1
    return changed


def feed_touch(feed: SalesFeed) -> None:
    SalesFeed.objects.filter(pk=feed.pk).update(last_received_at=timezone.now())


def sales_feed_create(
    *, workspace_id: int, channel: str, label: str, secret: str = "", attribution_days: int = 30
) -> SalesFeed:
    """A feed with its own unguessable address; WooCommerce and custom shops get a generated
    signing secret to paste into the shop (Shopify's is the shop's own, pasted here)."""
    if channel == SalesChannel.WOOCOMMERCE and not secret:
        secret = secrets.token_urlsafe(32)
    if channel == SalesChannel.CUSTOM:
        secret = webhook_secret()  # Standard Webhooks' form: whsec_ and base64
    return SalesFeed.objects.create(
        workspace_id=workspace_id,
        channel=channel,
        label=label,
        token=secrets.token_urlsafe(24),
        secret=secret,
        attribution_days=attribution_days,
    )
