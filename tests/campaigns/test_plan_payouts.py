"""The campaign Plan tab's money out: budget, committed, paid (gross) and the cash-out forecast
by month, in the campaign's currency, a missing exchange rate shown rather than guessed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from campaigns.models import InstallmentStatus
from campaigns.payouts.plan import payout_plan
from kolhub.models import ExchangeRate, Role
from tests.campaigns.test_payouts_page import installment_in, paid
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

S = InstallmentStatus
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-10 09:00 +0800", tick=False):
        yield


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, name="Spring tea", total_budget=500000)


def test_it_forecasts_open_installments_by_month_with_the_overdue_in_this_one(campaign):
    installment_in(campaign, due_on=date(2026, 2, 20), amount=Decimal(10000))  # overdue
    installment_in(campaign, due_on=date(2026, 3, 25), amount=Decimal(20000))
    installment_in(campaign, due_on=date(2026, 5, 2), amount=Decimal(30000), status=S.APPROVED)
    installment_in(campaign, due_on=date(2026, 5, 9), amount=Decimal(5000), status=S.CANCELLED)
    plan = payout_plan(campaign.workspace, campaign, TODAY)
    assert [(m.month, m.amount, m.installments, m.overdue) for m in plan.months] == [
        (date(2026, 3, 1), Decimal(30000), 2, 1),
        (date(2026, 5, 1), Decimal(30000), 1, 0),
    ]
    assert plan.open_total == Decimal(60000) and plan.overdue == 1
    assert plan.paid == 0 and plan.paid_count == 0


def test_paid_is_the_gross_recorded_when_paid(campaign):
    installment_in(
        campaign, **paid({}, on=date(2026, 3, 1), gross=50000, withholding=5000, nhi=1055)
    )
    installment_in(campaign, due_on=date(2026, 4, 1))
    plan = payout_plan(campaign.workspace, campaign, TODAY)
    # Net 43,945 to the creator plus 6,055 withheld for tax and NHI.
    assert plan.paid == Decimal(50000) and plan.paid_count == 1
    assert [m.month for m in plan.months] == [date(2026, 4, 1)]


def test_a_foreign_payment_is_converted_at_the_workspaces_rate(campaign, workspace):
    installment_in(campaign, due_on=date(2026, 4, 1), amount=Decimal(100), currency="USD")
    plan = payout_plan(campaign.workspace, campaign, TODAY)
    assert plan.months[0].amount is None and plan.open_total is None
    assert plan.missing_rates == ["USD→TWD"]
    ExchangeRate.objects.create(
        workspace=workspace, currency="USD", into="TWD", rate=Decimal("32.5")
    )
    plan = payout_plan(campaign.workspace, campaign, TODAY)
    assert plan.months[0].amount == Decimal("3250.00") and not plan.missing_rates


def test_a_usd_campaign_shows_paid_nt_dollars_only_with_a_rate(brand, workspace):
    campaign = CampaignFactory(brand=brand, currency="USD")
    installment_in(campaign, **paid({}, on=date(2026, 3, 1), gross=32000, withholding=0, nhi=0))
    assert payout_plan(campaign.workspace, campaign, TODAY).paid is None
    ExchangeRate.objects.create(workspace=workspace, currency="USD", into="TWD", rate=Decimal(32))
    assert payout_plan(campaign.workspace, campaign, TODAY).paid == Decimal("1000.00")


def test_the_plan_tab_shows_budget_committed_paid_and_forecast(alice_client, workspace, campaign):
    installment_in(
        campaign, **paid({}, on=date(2026, 3, 1), gross=50000, withholding=5000, nhi=1055)
    )
    installment_in(campaign, due_on=date(2026, 2, 1), amount=Decimal(12000))
    response = alice_client.get(reverse("campaign_detail", args=[workspace.slug, campaign.pk]))
    html = response.text
    assert 'id="cash-out"' in html
    assert 'data-plan="paid">TWD 50,000' in html
    assert 'data-plan="open">TWD 12,000' in html
    assert 'class="cash-out__row--late" data-month="2026-03"' in html
    assert "1 overdue" in html
    assert "Paid (gross)" in html and "withholding tax and NHI premium withheld" in html


def test_a_client_viewer_sees_the_campaign_totals_as_the_plan_shows_committed(
    client_for, workspace, campaign, brand
):
    viewer = UserFactory()
    membership = MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    brand.client_memberships.add(membership)
    installment_in(campaign, due_on=date(2026, 4, 1))
    page = reverse("campaign_detail", args=[workspace.slug, campaign.pk])
    html = client_for(viewer).get(page).text
    assert 'data-plan="open">TWD 50,000' in html
    assert "王小美" not in html  # campaign totals only: no payee, no creator's figures


def test_the_plan_tab_reads_the_forecast_in_the_same_queries_for_more_installments(
    alice_client, workspace, campaign, django_assert_max_num_queries
):
    installment_in(campaign, due_on=date(2026, 4, 1))
    page = reverse("campaign_detail", args=[workspace.slug, campaign.pk])
    with django_assert_max_num_queries(40) as few:
        alice_client.get(page)
    for day in range(1, 20):
        installment_in(campaign, due_on=date(2026, 4, 1) + timedelta(days=day * 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(page)
