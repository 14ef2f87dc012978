"""Orders coming in: Shopify and WooCommerce webhooks, and the thank-you page pixel.

Public endpoints: the token in the URL names the feed (and so the workspace); a webhook is
believed only with a valid signature over its raw body, compared in constant time. Nothing
here answers 500 to bad input: a bad signature is 401, a body we cannot read is 400 with the
reason, and the pixel always answers its 1×1 image (a garbage hit only bumps a counter).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from kolhub.middleware import nul_tolerant
from tracking.models import DeliveryOutcome, SalesChannel, SalesFeed
from tracking.sales import conversions, webhooks
from tracking.sales.orders import OrderError, pixel_order

logger = logging.getLogger(__name__)

# Shopify retries a failed delivery for 4 hours; anything older is a replay.
STALE_AFTER = timedelta(hours=6)
FUTURE_SLACK = timedelta(minutes=5)
PIXEL_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def feed_by_token_unscoped(token: str, channel: str) -> SalesFeed | None:
    """The feed this token names, in whatever workspace: the token is the credential."""
    return SalesFeed.objects.filter(token=token, channel=channel).first()


def signature_valid(feed: SalesFeed, body: bytes, signature: str) -> bool:
    """base64(HMAC-SHA256(secret, raw body)), as Shopify and WooCommerce both sign."""
    if not feed.secret or not signature or not signature.isascii():
        return False  # a base64 digest is ASCII; compare_digest refuses other text
    digest = hmac.new(feed.secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature.strip())


def _refused(
    feed: SalesFeed, request: HttpRequest, reason: str, *, event: str = ""
) -> HttpResponse:
    logger.warning("Webhook refused for feed %s: %s", feed.pk, reason)
    webhooks.delivery_reject(
        feed=feed,
        event_id=event,
        topic=_topic(request, feed),
        outcome=DeliveryOutcome.REFUSED,
        reason=reason,
    )
    return HttpResponse(reason, status=401, content_type="text/plain")


def _unreadable(feed: SalesFeed, reason: str) -> HttpResponse:
    logger.warning("Webhook body rejected for feed %s: %s", feed.pk, reason)
    return HttpResponse(reason, status=400, content_type="text/plain")


TOPIC_HEADERS: dict[str, str] = {
    SalesChannel.SHOPIFY: "X-Shopify-Topic",
    SalesChannel.WOOCOMMERCE: "X-WC-Webhook-Topic",
}
CUSTOM_TOPIC = "order"


def _topic(request: HttpRequest, feed: SalesFeed) -> str:
    if feed.channel == SalesChannel.CUSTOM:
        return CUSTOM_TOPIC
    return request.headers.get(TOPIC_HEADERS[feed.channel], "")


def _stale(triggered_at: str) -> bool:
    try:
        when = parse_datetime(triggered_at.strip()) if triggered_at else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        return True
    now = timezone.now()
    return not (now - STALE_AFTER <= when <= now + FUTURE_SLACK)


def _receive(feed: SalesFeed, request: HttpRequest, event: str) -> HttpResponse:
    """Apply a signed delivery unless the same event was applied before (then 200 anyway)."""
    topic = _topic(request, feed)
    if not event:
        reason = f"no {EVENT_HEADERS[feed.channel]}"
        webhooks.delivery_reject(
            feed=feed,
            event_id="",
            topic=topic,
            outcome=DeliveryOutcome.UNREADABLE,
            reason=reason,
        )
        return _unreadable(feed, reason)
    delivery = webhooks.delivery_receive(feed=feed, event_id=event, topic=topic, body=request.body)
    if delivery is None:
        return HttpResponse("already received", content_type="text/plain")
    if delivery.outcome == DeliveryOutcome.UNREADABLE:
        # Kept with its body, holding no slot: a corrected resend of the event is applied.
        return _unreadable(feed, delivery.reason)
    return HttpResponse("ok", content_type="text/plain")


EVENT_HEADERS: dict[str, str] = {
    SalesChannel.SHOPIFY: "X-Shopify-Event-Id",
    SalesChannel.WOOCOMMERCE: "X-WC-Webhook-Delivery-ID",
    SalesChannel.CUSTOM: "webhook-id",
}


@csrf_exempt
@require_POST
def shopify_webhook(request: HttpRequest, token: str) -> HttpResponse:
    feed = feed_by_token_unscoped(token, SalesChannel.SHOPIFY)
    if feed is None:
        raise Http404
    body = request.body  # the raw bytes, before anything parses them
    event = request.headers.get("X-Shopify-Event-Id") or request.headers.get("X-Shopify-Webhook-Id")
    if not signature_valid(feed, body, request.headers.get("X-Shopify-Hmac-Sha256", "")):
        return _refused(feed, request, "invalid signature", event=event or "")
    if _stale(request.headers.get("X-Shopify-Triggered-At", "")):
        return _refused(feed, request, "stale or missing X-Shopify-Triggered-At", event=event or "")
    return _receive(feed, request, event or "")


@csrf_exempt
@require_POST
def woocommerce_webhook(request: HttpRequest, token: str) -> HttpResponse:
    feed = feed_by_token_unscoped(token, SalesChannel.WOOCOMMERCE)
    if feed is None:
        raise Http404
    body = request.body
    signature = request.headers.get("X-WC-Webhook-Signature", "")
    if not signature and body.startswith(b"webhook_id="):
        # WooCommerce's unsigned ping on creation: answer 200 or the webhook stays pending.
        return HttpResponse("pong", content_type="text/plain")
    event = request.headers.get("X-WC-Webhook-Delivery-ID", "")
    if not signature_valid(feed, body, signature):
        return _refused(feed, request, "invalid signature", event=event)
    return _receive(feed, request, event)


@csrf_exempt
@require_POST
def custom_webhook(request: HttpRequest, token: str) -> HttpResponse:
    """Orders from a shop of one's own, signed as Standard Webhooks sign (webhook-id,
    webhook-timestamp within five minutes, webhook-signature): the same library verifies
    KOLHub's outgoing webhooks' receivers."""
    feed = feed_by_token_unscoped(token, SalesChannel.CUSTOM)
    if feed is None:
        raise Http404
    event = request.headers.get("webhook-id", "")[:100]
    try:
        Webhook(feed.secret).verify(request.body, dict(request.headers.items()))
    except (WebhookVerificationError, ValueError):
        return _refused(feed, request, "invalid signature or timestamp", event=event)
    return _receive(feed, request, event)


# The pixel ------------------------------------------------------------------------------------


@require_GET
def pixel_script(request: HttpRequest, token: str) -> HttpResponse:
    feed = feed_by_token_unscoped(token, SalesChannel.PIXEL)
    if feed is None:
        raise Http404
    # The app's own address, not the request's Host: the script is cached and shared.
    endpoint = settings.SITE_URL + reverse("pixel_order", args=[feed.token])
    response = render(
        request,
        "tracking/pixel.js",
        {"endpoint": endpoint},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@nul_tolerant
@require_GET
def pixel_order_view(request: HttpRequest, token: str) -> HttpResponse:
    """The thank-you page's beacon. Always the 1×1 GIF: a shop's page must never break."""
    feed = feed_by_token_unscoped(token, SalesChannel.PIXEL)
    if feed is not None:
        try:
            order = pixel_order(request.GET, received_at=timezone.now())
        except OrderError as exc:
            SalesFeed.objects.filter(pk=feed.pk).update(rejected=F("rejected") + 1)
            logger.info("Pixel hit ignored for feed %s: %s", feed.pk, exc)
        else:
            conversions.conversion_record(
                workspace_id=feed.workspace_id,
                channel=SalesChannel.PIXEL,
                order=order,
                window_days=feed.attribution_days,
            )
            conversions.feed_touch(feed)
    response = HttpResponse(PIXEL_GIF, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
