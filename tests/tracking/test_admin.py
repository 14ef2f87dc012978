"""The tracking tables in Django admin: every one listed and opened in a constant number of
queries, logs read-only, secrets masked, an order followed from its webhook delivery to the
campaign's results, and the actions going through the pages' own services."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from kolhub.models import Workspace
from tests.factories import (
    AccountPostFactory,
    CampaignFactory,
    ClickFactory,
    CollaborationFactory,
    PlatformConnectionFactory,
    PostFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
    UserFactory,
    WorkspaceFactory,
)
from tests.tracking.conftest import recorded
from tracking import link_cache, models
from tracking.models import (
    AccountScore,
    ApiQuota,
    CampaignResult,
    CampaignResultLine,
    ClickDay,
    ClickLogOffset,
    Conversion,
    DeliveryOutcome,
    EmvRate,
    EngagementBenchmark,
    MetricSnapshot,
    RecomputeMark,
    ReportFile,
    SalesFeed,
    SharedReport,
    WebhookDelivery,
)
from tracking.results.services import shared_report_create
from tracking.sales.conversions import promo_code_add, sales_feed_create

FEED_SECRET = "shpss_known_feed_secret_QRST"
CONNECTION_TOKEN = "IGQVJ-known-connection-token-ABCD"
REFRESH_TOKEN = "IGQVJ-known-refresh-token-WXYZ"


@pytest.fixture
def admin_client(db, client):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def collaboration(workspace: Workspace):
    return CollaborationFactory(campaign__workspace=workspace)


def feed(workspace: Workspace, secret: str = FEED_SECRET) -> SalesFeed:
    return sales_feed_create(
        workspace_id=workspace.pk, channel="shopify", label="Mountain Mist store", secret=secret
    )


def conversion(workspace: Workspace, n: int, collab=None) -> Conversion:
    return Conversion.objects.create(
        workspace=workspace,
        channel="shopify",
        order_id=f"order-{n}",
        amount=Decimal("1280.00"),
        currency="TWD",
        occurred_at=timezone.now(),
        collaboration=collab or collaboration(workspace),
        rule="promo",
    )


def snapshot(workspace: Workspace, n: int) -> MetricSnapshot:
    now = timezone.now()
    post = PostFactory(collaboration=collaboration(workspace))
    return MetricSnapshot.objects.create(
        workspace=workspace, post=post, captured_at=now, bucket=now, source="api", views=n
    )


def delivery(workspace: Workspace, n: int) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        feed=feed(workspace),
        event_id=f"evt-{n}",
        topic="orders/create",
        order_id=f"order-{n}",
        conversion=conversion(workspace, n),
    )


def campaign_result(workspace: Workspace, n: int) -> CampaignResult:
    campaign = CampaignFactory(workspace=workspace)
    return CampaignResult.objects.create(
        workspace=workspace,
        campaign=campaign,
        report={"currency": "TWD", "views": 1000 * n, "revenue": "1280.00", "roas": 2.5},
        computed_at=timezone.now(),
    )


def account_score(workspace: Workspace, n: int) -> AccountScore:
    account = SocialAccountFactory(creator__workspace=workspace)
    return AccountScore.objects.create(
        workspace=workspace, account=account, authenticity=80, computed_at=timezone.now()
    )


def click_day(workspace: Workspace, n: int) -> ClickDay:
    link = TrackedLinkFactory(collaboration=collaboration(workspace))
    return ClickDay.objects.create(workspace=workspace, link=link, day=timezone.localdate())


def share(workspace: Workspace, n: int) -> SharedReport:
    campaign = CampaignFactory(workspace=workspace)
    return shared_report_create(campaign=campaign, user=UserFactory(), days=30)


# One row of each table, the n-th; tables with one row per workspace and key get their own
# workspace each (which also tells whether the workspace column is read per row).
ROWS: dict[str, Callable[[Workspace, int], Any]] = {
    "post": lambda ws, n: PostFactory(collaboration=collaboration(ws)),
    "metricsnapshot": snapshot,
    "platformconnection": lambda ws, n: PlatformConnectionFactory(
        workspace=ws, account=SocialAccountFactory(creator__workspace=ws)
    ),
    "apiquota": lambda ws, n: ApiQuota.objects.create(
        platform="youtube", credential=f"key{n}", day=timezone.localdate(), units=n
    ),
    "accountpost": lambda ws, n: AccountPostFactory(account__creator__workspace=ws),
    "trackedlink": lambda ws, n: TrackedLinkFactory(collaboration=collaboration(ws)),
    "click": lambda ws, n: ClickFactory(link__collaboration=collaboration(ws)),
    "clickday": click_day,
    "clicklogoffset": lambda ws, n: ClickLogOffset.objects.create(name=f"clicks-{n}.log"),
    "promocode": lambda ws, n: promo_code_add(collaboration=collaboration(ws), code=f"MEI{n}"),
    "salesfeed": lambda ws, n: feed(ws),
    "conversion": conversion,
    "webhookdelivery": delivery,
    "emvrate": lambda ws, n: EmvRate.objects.create(
        workspace=WorkspaceFactory(), platform="youtube", action="views", value=1, currency="TWD"
    ),
    "campaignresult": campaign_result,
    "reportfile": lambda ws, n: ReportFile.objects.create(
        workspace=ws,
        campaign=CampaignFactory(workspace=ws),
        file_format="xlsx",
        language="en",
        computed_at=timezone.now(),
    ),
    "campaignresultline": lambda ws, n: CampaignResultLine.objects.create(
        workspace=ws,
        campaign=CampaignFactory(workspace=ws),
        collaboration_id=n,
        tier="micro",
        cost=1000 * n,
        engagements=10 * n,
    ),
    "sharedreport": share,
    "engagementbenchmark": lambda ws, n: EngagementBenchmark.objects.create(
        workspace=WorkspaceFactory(), platform="youtube", tier="micro", rate=Decimal("0.03")
    ),
    "accountscore": account_score,
    "recomputemark": lambda ws, n: RecomputeMark.objects.create(
        kind="campaign", target=n, since=timezone.now()
    ),
}
APPEND_ONLY = [
    "metricsnapshot",
    "apiquota",
    "accountpost",
    "click",
    "clickday",
    "clicklogoffset",
    "conversion",
    "webhookdelivery",
    "recomputemark",
    "campaignresultline",
]


def tracking_models() -> list[type]:
    return [
        model
        for name in models.__all__
        if isinstance(model := getattr(models, name), type)
        and hasattr(model, "_meta")
        and not model._meta.abstract
        and model._meta.app_label == "tracking"
    ]


def test_it_registers_every_tracking_model():
    found = {model._meta.model_name for model in tracking_models()}
    assert found == set(ROWS)
    for model in tracking_models():
        assert admin.site.is_registered(model), model


def queries(client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize("model", sorted(ROWS))
def test_it_lists_and_opens_every_table_in_as_many_queries_for_3_rows_as_for_30(
    admin_client, workspace, model, django_assert_max_num_queries
):
    rows = [ROWS[model](workspace, n) for n in range(3)]
    changelist = reverse(f"admin:tracking_{model}_changelist")
    change = reverse(f"admin:tracking_{model}_change", args=[rows[0].pk])
    admin_client.get(changelist), admin_client.get(change)  # a first visit's one-off queries
    few = queries(admin_client, changelist), queries(admin_client, change)
    rows += [ROWS[model](workspace, n) for n in range(3, 30)]
    with django_assert_max_num_queries(few[0]):
        assert admin_client.get(changelist).status_code == 200
    with django_assert_max_num_queries(few[1]):
        assert admin_client.get(change).status_code == 200
    assert (queries(admin_client, changelist), queries(admin_client, change)) == few
    # Search and the workspace filter work too (a wrong search field would be a 500).
    assert admin_client.get(changelist, {"q": "a"}).status_code == 200


@pytest.mark.parametrize("model", APPEND_ONLY)
def test_a_log_is_read_but_never_added_changed_or_deleted(admin_client, workspace, model):
    row = ROWS[model](workspace, 1)
    change = reverse(f"admin:tracking_{model}_change", args=[row.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse(f"admin:tracking_{model}_add")).status_code == 403
    assert admin_client.post(change, {}).status_code == 403
    delete = reverse(f"admin:tracking_{model}_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()


def test_a_connection_token_shows_only_its_last_4_characters(admin_client, workspace):
    row = PlatformConnectionFactory(
        workspace=workspace, token=CONNECTION_TOKEN, refresh_token=REFRESH_TOKEN
    )
    for url in (
        reverse("admin:tracking_platformconnection_changelist"),
        reverse("admin:tracking_platformconnection_change", args=[row.pk]),
    ):
        html = admin_client.get(url).text
        assert CONNECTION_TOKEN not in html and "known-connection" not in html
        assert "…ABCD" in html
    change = admin_client.get(reverse("admin:tracking_platformconnection_change", args=[row.pk]))
    assert REFRESH_TOKEN not in change.text and "…WXYZ" in change.text
    assert 'name="token"' not in change.text and 'name="refresh_token"' not in change.text


def test_a_feed_secret_and_address_and_a_share_token_show_only_their_last_4(
    admin_client, workspace
):
    sales = feed(workspace)
    link = share(workspace, 1)
    pages = [
        (sales, "salesfeed", [FEED_SECRET, sales.token], ["…QRST", f"…{sales.token[-4:]}"]),
        (link, "sharedreport", [link.token], [f"…{link.token[-4:]}"]),
    ]
    for row, model, hidden, shown in pages:
        for url in (
            reverse(f"admin:tracking_{model}_changelist"),
            reverse(f"admin:tracking_{model}_change", args=[row.pk]),
        ):
            html = admin_client.get(url).text
            assert not any(secret in html for secret in hidden), url
            assert all(ending in html for ending in shown), url
    change = admin_client.get(reverse("admin:tracking_salesfeed_change", args=[sales.pk]))
    assert 'name="secret"' not in change.text


def test_an_order_is_followed_from_its_delivery_to_the_campaigns_results(admin_client, workspace):
    row = delivery(workspace, 7)
    order = row.conversion
    collab = order.collaboration
    result = campaign_result(workspace, 1)
    CampaignResult.objects.filter(pk=result.pk).update(campaign=collab.campaign)
    page = admin_client.get(reverse("admin:tracking_webhookdelivery_change", args=[row.pk]))
    conversion_url = reverse("admin:tracking_conversion_change", args=[order.pk])
    assert f'href="{conversion_url}"' in page.text
    listed = admin_client.get(reverse("admin:tracking_webhookdelivery_changelist"))
    assert f'href="{conversion_url}"' in listed.text

    page = admin_client.get(conversion_url)
    collaboration_url = reverse("admin:campaigns_collaboration_change", args=[collab.pk])
    campaign_url = reverse("admin:campaigns_campaign_change", args=[collab.campaign_id])
    results_url = (
        reverse("admin:tracking_campaignresult_changelist")
        + f"?campaign__id__exact={collab.campaign_id}"
    )
    for url in (collaboration_url, campaign_url, results_url):
        assert f'href="{url}"'.replace("&", "&amp;") in page.text, url
        assert admin_client.get(url).status_code == 200, url
    results = admin_client.get(results_url)
    assert reverse("admin:tracking_campaignresult_change", args=[result.pk]) in results.text
    assert results.context["cl"].result_count == 1
    # And back: the deliveries of the order, the orders of the campaign.
    deliveries = reverse("admin:tracking_webhookdelivery_changelist")
    back = admin_client.get(deliveries, {"conversion__id__exact": order.pk})
    assert back.context["cl"].result_count == 1
    orders = reverse("admin:tracking_conversion_changelist")
    by_campaign = admin_client.get(
        orders, {"collaboration__campaign__id__exact": collab.campaign_id}
    )
    assert by_campaign.context["cl"].result_count == 1


def act(client, model: str, action: str, rows: list[Any]):
    return client.post(
        reverse(f"admin:tracking_{model}_changelist"),
        {"action": action, "_selected_action": [row.pk for row in rows]},
        follow=True,
    )


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def stored_order(workspace: Workspace, outcome: str, **fields: Any) -> WebhookDelivery:
    """A signed Shopify order delivery as the intake stores it."""
    return WebhookDelivery.objects.create(
        feed=feed(workspace),
        event_id="evt-1",
        topic="orders/create",
        outcome=outcome,
        body=json.dumps(recorded("shopify/order.json")),
        **fields,
    )


def test_replaying_a_delivery_records_its_order_once(admin_client, workspace):
    collab = collaboration(workspace)
    row = stored_order(workspace, DeliveryOutcome.UNREADABLE, reason="a bug of ours")
    promo_code_add(collaboration=collab, code="MEI15")  # the recorded order's code
    response = act(admin_client, "webhookdelivery", "replay", [row])
    assert "1 webhook delivery was applied again." in said(response)
    row.refresh_from_db()
    order = Conversion.objects.get()
    assert (row.outcome, row.reason, row.conversion) == (DeliveryOutcome.APPLIED, "", order)
    assert order.collaboration == collab
    act(admin_client, "webhookdelivery", "replay", [row])  # an order's delivery: idempotent
    assert Conversion.objects.count() == 1


def test_a_refused_delivery_is_not_replayed(admin_client, workspace):
    row = WebhookDelivery.objects.create(
        feed=feed(workspace), event_id="evt-2", outcome=DeliveryOutcome.REFUSED, reason="bad"
    )
    response = act(admin_client, "webhookdelivery", "replay", [row])
    assert "0 webhook deliveries were applied again." in said(response)
    assert not Conversion.objects.exists()


def test_a_replay_of_an_event_another_delivery_applied_is_left(admin_client, workspace):
    applied = stored_order(workspace, DeliveryOutcome.APPLIED)
    again = WebhookDelivery.objects.create(
        feed=applied.feed,
        event_id=applied.event_id,
        outcome=DeliveryOutcome.UNREADABLE,
        topic="orders/create",
        body=applied.body,
    )
    act(admin_client, "webhookdelivery", "replay", [again])
    again.refresh_from_db()
    assert again.outcome == DeliveryOutcome.UNREADABLE


def test_a_revoked_share_link_no_longer_opens(admin_client, workspace, client):
    link = share(workspace, 1)
    assert client.get(f"/s/{link.token}/").status_code == 200
    response = act(admin_client, "sharedreport", "revoke", [link])
    assert "1 share link no longer opens the report." in said(response)
    assert client.get(f"/s/{link.token}/").status_code in (404, 410)


def test_a_deactivated_tracked_link_stops_redirecting(admin_client, workspace, client):
    link_cache.table.clear()
    link = TrackedLinkFactory(collaboration=collaboration(workspace))
    assert client.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0").status_code == 302
    response = act(admin_client, "trackedlink", "deactivate", [link])
    assert "1 tracked link no longer redirects." in said(response)
    assert client.get(f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0").status_code == 404


def test_re_pulling_posts_reads_them_again_through_the_workers(admin_client, workspace):
    Workspace.objects.filter(pk=workspace.pk).update(is_demo=True)  # the demo provider
    post = PostFactory(collaboration=collaboration(workspace), last_pulled_at=None)
    response = act(admin_client, "post", "repull", [post])
    assert "1 post was sent to the workers to be read again." in said(response)
    post.refresh_from_db()
    assert post.last_pulled_at is not None and post.snapshots.exists()


def test_recomputing_results_stores_fresh_figures(
    admin_client, workspace, django_capture_on_commit_callbacks
):
    result = campaign_result(workspace, 1)
    stale = timezone.now() - timedelta(days=3)
    CampaignResult.objects.filter(pk=result.pk).update(computed_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "campaignresult", "recompute", [result])
    assert "The figures of 1 campaign are being recomputed." in said(response)
    result.refresh_from_db()
    assert result.computed_at > stale and "views" in result.report


def test_a_closed_campaigns_final_report_is_not_recomputed(admin_client, workspace):
    result = campaign_result(workspace, 1)
    final = timezone.now() - timedelta(days=3)
    CampaignResult.objects.filter(pk=result.pk).update(computed_at=final, final_at=final)
    Campaign.objects.filter(pk=result.campaign_id).update(status="closed")
    response = act(admin_client, "campaignresult", "recompute", [result])
    assert any("its report is final" in message for message in said(response))
    result.refresh_from_db()
    assert result.computed_at == final


def test_the_posts_campaigns_can_be_recomputed_from_the_posts(
    admin_client, workspace, django_capture_on_commit_callbacks
):
    post = PostFactory(collaboration=collaboration(workspace))
    with django_capture_on_commit_callbacks(execute=True):
        act(admin_client, "post", "recompute_campaigns", [post])
    assert CampaignResult.objects.filter(campaign_id=post.collaboration.campaign_id).exists()


def test_an_emv_rate_changed_here_makes_the_workspace_figures_stale(admin_client, workspace):
    campaign = CampaignFactory(workspace=workspace)
    rate = EmvRate.objects.create(
        workspace=workspace, platform="youtube", action="views", value=1, currency="TWD"
    )
    admin_client.post(reverse("admin:tracking_emvrate_delete", args=[rate.pk]), {"post": "yes"})
    assert RecomputeMark.objects.filter(kind="campaign", target=campaign.pk).exists()
