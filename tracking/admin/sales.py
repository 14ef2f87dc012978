"""Sales in the admin: tracked links and their clicks, promo codes, sales feeds, and an
order's way in: webhook delivery → conversion → collaboration → the campaign's results."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kolhub.formatting import money
from tracking.admin.common import (
    NOTHING,
    AppendOnlyAdmin,
    change_link,
    changelist_link,
    last_four,
    notify,
)
from tracking.models import (
    CampaignResult,
    Click,
    ClickDay,
    ClickLogOffset,
    Conversion,
    PromoCode,
    SalesFeed,
    TrackedLink,
    WebhookDelivery,
)
from tracking.sales import services, webhooks

CAMPAIGN_LOOKUP = "collaboration__campaign__id__exact"
COLLABORATION_RELATED = ["workspace", "collaboration__creator", "collaboration__campaign"]


class CollaborationColumn:
    @admin.display(description=_("collaboration"), ordering="collaboration")
    def collaboration_link(self, row: Any) -> str:
        return change_link(row.collaboration)


@admin.register(TrackedLink)
class TrackedLinkAdmin(CollaborationColumn, admin.ModelAdmin):
    list_display = [
        "code",
        "destination",
        "collaboration_link",
        "is_active",
        "utm_content",
        "created_at",
        "workspace",
    ]
    list_filter = ["workspace", "is_active", "utm_source"]
    list_select_related = COLLABORATION_RELATED
    search_fields = [
        "code",
        "destination",
        "utm_content",
        "utm_campaign",
        "collaboration__creator__display_name",
    ]
    raw_id_fields = ["collaboration", "deliverable", "created_by"]
    readonly_fields = ["workspace", "code", "created_at", "clicks_link"]
    actions = ["deactivate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A link gets its unguessable code on the collaboration's page (tracked_link_create).
        return False

    @admin.display(description=_("clicks"))
    def clicks_link(self, link: TrackedLink) -> str:
        return changelist_link(Click, _("Clicks of this link"), link__id__exact=link.pk)

    @admin.action(description=_("Deactivate the selected tracked links"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[TrackedLink]) -> None:
        active = list(queryset.filter(is_active=True))
        for link in active:
            services.tracked_link_deactivate(link=link)
        notify(
            self,
            request,
            ngettext(
                "%(count)d tracked link no longer redirects.",
                "%(count)d tracked links no longer redirect.",
                len(active),
            ),
            len(active),
        )


@admin.register(Click)
class ClickAdmin(AppendOnlyAdmin):
    list_display = ["click_id", "link", "occurred_at", "country", "is_bot", "referrer", "workspace"]
    list_filter = ["workspace", "is_bot", "country"]
    list_select_related = ["workspace", "link"]
    search_fields = ["click_id", "link__code"]
    raw_id_fields = ["link"]


@admin.register(ClickDay)
class ClickDayAdmin(AppendOnlyAdmin):
    list_display = ["day", "link", "clicks", "unique_visitors", "bot_clicks", "workspace"]
    list_filter = ["workspace", "day"]
    list_select_related = ["workspace", "link"]
    search_fields = ["link__code"]
    raw_id_fields = ["link"]


@admin.register(ClickLogOffset)
class ClickLogOffsetAdmin(AppendOnlyAdmin):
    list_display = ["name", "offset", "updated_at"]
    search_fields = ["name"]


@admin.register(PromoCode)
class PromoCodeAdmin(CollaborationColumn, admin.ModelAdmin):
    list_display = ["code", "collaboration_link", "created_at", "workspace"]
    list_filter = ["workspace"]
    list_select_related = COLLABORATION_RELATED
    search_fields = ["code", "normalised", "collaboration__creator__display_name"]
    autocomplete_fields = ["workspace"]
    raw_id_fields = ["collaboration"]


@admin.register(SalesFeed)
class SalesFeedAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "channel",
        "token_ending",
        "secret_ending",
        "attribution_days",
        "rejected",
        "last_received_at",
        "workspace",
    ]
    list_filter = ["workspace", "channel"]
    list_select_related = ["workspace"]
    search_fields = ["label"]
    # The signing secret is never shown (only its last 4 characters, to tell two apart).
    exclude = ["secret"]
    readonly_fields = [
        "workspace",
        "token_ending",
        "secret_ending",
        "rejected",
        "last_received_at",
        "created_at",
        "deliveries_link",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A feed gets its unguessable address on the sales settings page (sales_feed_create).
        return False

    @admin.display(description=_("address key"))
    def token_ending(self, feed: SalesFeed) -> str:
        return last_four(feed.token)

    @admin.display(description=_("signing secret"))
    def secret_ending(self, feed: SalesFeed) -> str:
        return last_four(feed.secret)

    @admin.display(description=_("webhook deliveries"))
    def deliveries_link(self, feed: SalesFeed) -> str:
        return changelist_link(
            WebhookDelivery, _("Deliveries of this feed"), feed__id__exact=feed.pk
        )


@admin.register(Conversion)
class ConversionAdmin(CollaborationColumn, AppendOnlyAdmin):
    """Orders are the shop's record: read here; attribution changes through the pages."""

    list_display = [
        "order_id",
        "amount_with_currency",
        "collaboration_link",
        "rule",
        "channel",
        "occurred_at",
        "workspace",
    ]
    list_filter = ["workspace", "channel", "rule", "cancelled"]
    list_select_related = COLLABORATION_RELATED
    search_fields = ["order_id", "promo_code", "click_id", "utm_content"]
    raw_id_fields = ["collaboration"]
    readonly_fields = ["collaboration_link", "campaign_link", "results_link", "deliveries_link"]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # The campaign result page links to the orders of its campaign.
        return lookup == CAMPAIGN_LOOKUP or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_with_currency(self, conversion: Conversion) -> str:
        return money(conversion.amount, conversion.currency, 2)

    @admin.display(description=_("campaign"))
    def campaign_link(self, conversion: Conversion) -> str:
        collaboration = conversion.collaboration
        return change_link(collaboration.campaign) if collaboration else NOTHING

    @admin.display(description=_("campaign results"))
    def results_link(self, conversion: Conversion) -> str:
        if conversion.collaboration is None:
            return NOTHING
        return changelist_link(
            CampaignResult,
            _("Stored results of this campaign"),
            campaign__id__exact=conversion.collaboration.campaign_id,
        )

    @admin.display(description=_("webhook deliveries"))
    def deliveries_link(self, conversion: Conversion) -> str:
        return changelist_link(
            WebhookDelivery, _("Deliveries of this order"), conversion__id__exact=conversion.pk
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AppendOnlyAdmin):
    list_display = [
        "received_at",
        "channel",
        "topic",
        "outcome",
        "reason",
        "order_id",
        "conversion_link",
        "workspace",
    ]
    list_filter = ["feed__workspace", "outcome", "feed__channel", "topic"]
    list_select_related = ["feed__workspace", "conversion"]
    search_fields = ["event_id", "order_id", "reason"]
    raw_id_fields = ["feed", "conversion"]
    readonly_fields = ["conversion_link"]
    actions = ["replay"]

    @admin.display(description=_("channel"), ordering="feed__channel")
    def channel(self, delivery: WebhookDelivery) -> str:
        return delivery.feed.get_channel_display()

    @admin.display(description=_("workspace"), ordering="feed__workspace")
    def workspace(self, delivery: WebhookDelivery) -> str:
        return str(delivery.feed.workspace)

    @admin.display(description=_("conversion"))
    def conversion_link(self, delivery: WebhookDelivery) -> str:
        return change_link(delivery.conversion)

    def has_replay_permission(self, request: HttpRequest) -> bool:
        # A replay writes orders: for those who may change conversions.
        return request.user.has_perm("tracking.change_conversion")

    @admin.action(description=_("Replay the selected webhook deliveries"), permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        """Apply each signed delivery's stored body again, as the intake applies a new one."""
        deliveries = queryset.select_related("feed").order_by("received_at", "pk")
        applied = sum(webhooks.delivery_replay(delivery=delivery) for delivery in deliveries)
        notify(
            self,
            request,
            ngettext(
                "%(count)d webhook delivery was applied again.",
                "%(count)d webhook deliveries were applied again.",
                applied,
            ),
            applied,
        )
        skipped = len(deliveries) - applied
        if skipped:
            notify(
                self,
                request,
                ngettext(
                    "%(count)d delivery was left as it is: refused (no trusted body), an "
                    "applied refund, already applied by another delivery, or still unreadable.",
                    "%(count)d deliveries were left as they are: refused (no trusted body), "
                    "applied refunds, already applied by another delivery, or still unreadable.",
                    skipped,
                ),
                skipped,
                level=messages.WARNING,
            )
