"""The workspace's Payouts page: every installment across campaigns with its figures, filtered,
due and overdue marked, totalled from the ledger; for the team only."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import InstallmentStatus, Payee, PayeeKind, PayeeSource
from campaigns.payouts.ledger import installments_of, ledger_rows, ledger_totals
from kolhub.formatting import grouped
from kolhub.models import Role
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    InstallmentFactory,
    MembershipFactory,
    UserFactory,
)

S = InstallmentStatus
TODAY = timezone.localdate


def payee_for(collaboration, **overrides) -> Payee:
    details = {
        "kind": PayeeKind.RESIDENT,
        "legal_name": "王小美",
        "tax_id": "A123456789",
        "bank_code": "812",
        "branch_code": "0012",
        "account_number": "001234567890",
        "account_holder": "王小美",
        **overrides,
    }
    return Payee.objects.create(
        workspace_id=collaboration.workspace_id,
        collaboration=collaboration,
        updated_via=PayeeSource.STAFF,
        **details,
    )


def installment_in(campaign, *, payee: dict | None = None, **fields):
    """An installment of a new collaboration in `campaign` (with a payee unless payee=False)."""
    collaboration = CollaborationFactory(campaign=campaign, fee=Decimal(50000), stage="contracted")
    if payee is not False:
        payee_for(collaboration, **(payee or {}))
    return InstallmentFactory(collaboration=collaboration, **fields)


def paid(installment_fields: dict, *, on: date, gross: int, withholding: int, nhi: int):
    """The recorded figures of a payment (as installment_move writes them)."""
    return {
        **installment_fields,
        "status": S.PAID,
        "paid_on": on,
        "paid_reference": "TX-1",
        "paid_gross": Decimal(gross),
        "paid_withholding": Decimal(withholding),
        "paid_nhi": Decimal(nhi),
        "paid_net": Decimal(gross - withholding - nhi),
        "paid_payee_kind": PayeeKind.RESIDENT,
    }


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, name="Spring tea")


@pytest.fixture
def ledger(campaign):
    """An overdue, a due-soon, a later, an approved and a paid installment."""
    today = TODAY()
    return {
        "overdue": installment_in(campaign, due_on=today - timedelta(days=5), label="Deposit"),
        "soon": installment_in(campaign, due_on=today + timedelta(days=2), label="Soon"),
        "later": installment_in(campaign, due_on=today + timedelta(days=40), label="Later"),
        "approved": installment_in(
            campaign, due_on=today + timedelta(days=1), status=S.APPROVED, label="Approved"
        ),
        "paid": installment_in(
            campaign,
            **paid({"label": "Paid"}, on=today, gross=50000, withholding=5000, nhi=1055),
            due_on=today - timedelta(days=1),
        ),
    }


def url(workspace, **query) -> str:
    base = reverse("payouts", args=[workspace.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def total_on_page(html: str, name: str) -> Decimal:
    match = re.search(rf'data-total="{name}">([\d,]+)<', html)
    assert match, name
    return Decimal(match.group(1).replace(",", ""))


def test_it_lists_every_installment_with_due_and_overdue_marked(alice_client, workspace, ledger):
    response = alice_client.get(url(workspace))
    assert response.status_code == 200
    html = response.text
    for installment in ledger.values():
        assert f'data-installment="{installment.pk}"' in html
    overdue_row = re.search(rf'<tr class="([^"]*)" data-installment="{ledger["overdue"].pk}"', html)
    soon_row = re.search(rf'<tr class="([^"]*)" data-installment="{ledger["soon"].pk}"', html)
    later_row = re.search(rf'<tr class="([^"]*)" data-installment="{ledger["later"].pk}"', html)
    assert "payouts__row--late" in overdue_row.group(1)
    assert "payouts__row--soon" in soon_row.group(1)
    assert later_row.group(1).strip() == ""


def test_its_totals_are_the_ledgers(alice_client, workspace, ledger):
    rows = ledger_rows(workspace, installments_of(workspace))
    totals = ledger_totals(rows)
    html = alice_client.get(url(workspace)).text
    assert total_on_page(html, "gross") == totals.gross
    assert total_on_page(html, "withholding") == totals.withholding_tax
    assert total_on_page(html, "nhi") == totals.nhi_supplement
    assert total_on_page(html, "net") == totals.net
    # Four open installments of NT$50,000 quoted (10 % and 2.11 %) and one recorded as paid.
    assert totals.gross == Decimal(250000)
    assert totals.withholding_tax == Decimal(25000)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "overdue"}, ["overdue"]),
        ({"status": "approved"}, ["approved"]),
        ({"status": "paid"}, ["paid"]),
    ],
)
def test_it_filters_by_status(alice_client, workspace, ledger, query, expected):
    html = alice_client.get(url(workspace, **query)).text
    shown = {name for name, i in ledger.items() if f'data-installment="{i.pk}"' in html}
    assert shown == set(expected)


def test_it_filters_by_month_due_month_paid_and_campaign(
    alice_client, workspace, brand, ledger, campaign
):
    other = installment_in(
        CampaignFactory(brand=brand, name="Autumn"), due_on=date(2025, 3, 15), label="Old"
    )
    html = alice_client.get(url(workspace, due_month="2025-03")).text
    assert f'data-installment="{other.pk}"' in html
    assert f'data-installment="{ledger["later"].pk}"' not in html
    html = alice_client.get(url(workspace, paid_month=f"{TODAY():%Y-%m}")).text
    assert f'data-installment="{ledger["paid"].pk}"' in html
    assert f'data-installment="{ledger["soon"].pk}"' not in html
    html = alice_client.get(url(workspace, campaign=campaign.pk)).text
    assert f'data-installment="{other.pk}"' not in html
    assert f'data-installment="{ledger["later"].pk}"' in html


def test_it_names_a_bad_month_and_an_unknown_campaign(alice_client, workspace, ledger, charlie):
    foreign = CampaignFactory()
    response = alice_client.get(url(workspace, due_month="March", campaign=foreign.pk))
    assert response.status_code == 200
    assert "Enter a month as YYYY-MM" in response.text
    assert "Select a valid choice" in response.text


def test_the_htmx_branch_returns_only_the_results(alice_client, workspace, ledger):
    response = alice_client.get(url(workspace), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text


def test_a_member_sees_the_page_without_the_owners_bank_file(bob_client, workspace, ledger):
    response = bob_client.get(url(workspace))
    assert response.status_code == 200
    assert reverse("payouts_bank_file", args=[workspace.slug]) not in response.text
    assert reverse("payouts_summary", args=[workspace.slug, "csv"]) not in response.text


def test_the_owner_sees_the_files(alice_client, workspace, ledger):
    html = alice_client.get(url(workspace)).text
    assert reverse("payouts_bank_file", args=[workspace.slug]) in html
    assert reverse("payouts_yearly", args=[workspace.slug, "xlsx"]) in html
    assert reverse("payouts_summary", args=[workspace.slug, "csv"]) in html


def test_the_navigation_links_the_page_for_the_team(alice_client, workspace):
    html = alice_client.get(reverse("campaign_list", args=[workspace.slug])).text
    assert f'href="{url(workspace)}"' in html


def test_a_client_viewer_gets_404(client_for, workspace, ledger):
    viewer = UserFactory()
    MembershipFactory(workspace=workspace, user=viewer, role=Role.CLIENT)
    assert client_for(viewer).get(url(workspace)).status_code == 404


def test_an_outsider_gets_404(charlie_client, workspace, ledger):
    assert charlie_client.get(url(workspace)).status_code == 404


def test_another_workspaces_installments_never_show(alice_client, workspace, ledger):
    foreign = installment_in(CampaignFactory(), label="Foreign")
    html = alice_client.get(url(workspace)).text
    assert f'data-installment="{foreign.pk}"' not in html


def test_it_refuses_post(alice_client, workspace):
    assert alice_client.post(url(workspace)).status_code == 405


def test_it_pages_the_list(alice_client, workspace, campaign):
    for _n in range(52):
        installment_in(campaign, payee=False)
    html = alice_client.get(url(workspace)).text
    assert html.count("data-installment=") == 50
    assert "page=2" in html
    assert alice_client.get(url(workspace, page=2)).text.count("data-installment=") == 2


def test_it_reads_the_page_in_the_same_queries_for_3_or_30_rows(
    alice_client, workspace, campaign, django_assert_max_num_queries
):
    for _n in range(3):
        installment_in(campaign)
    # The page's rows and their payees, the matching installments grouped for the totals, the
    # overdue count, the rule table and the rates: each once.
    with django_assert_max_num_queries(13) as few:
        assert alice_client.get(url(workspace)).status_code == 200
    for _n in range(27):
        installment_in(campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert alice_client.get(url(workspace)).status_code == 200


def test_it_shows_the_amounts_with_grouping(alice_client, workspace, ledger):
    assert grouped(Decimal(43945)) in alice_client.get(url(workspace)).text


# At an agency's size: totals of every page, read in the database's groups ----------------------


@pytest.fixture
def varied(workspace, campaign):
    """Installments differing in everything their figures depend on, on more than one page:
    paid (recorded figures), cancelled, in US$ with a rate and in JPY without one, payee types,
    NHI exempt, no payee, due before the rules exist, in 2026 and after the 2026-only rules."""
    from kolhub.models import ExchangeRate

    ExchangeRate.objects.create(workspace=workspace, currency="USD", into="TWD", rate="31.5")
    made = []
    due_days = [date(2025, 6, 1), date(2026, 3, 2), date(2026, 12, 31), date(2027, 2, 1)]
    payees = [
        {},
        {"kind": PayeeKind.NONRESIDENT},
        {"kind": PayeeKind.BUSINESS},
        {"nhi_exempt": True},
        {"bank_code": ""},  # incomplete details: not in the bank file
    ]
    for n in range(60):
        fields = {
            "due_on": due_days[n % 4],
            "amount": Decimal([50000, 18000, 120000, 1999][n % 4]),
            "status": [S.SCHEDULED, S.APPROVED, S.REQUESTED, S.CANCELLED][n % 4],
            "income_type": ["9A", "9B", "92", "50"][n % 3],
        }
        if n % 7 == 0:
            fields |= {"currency": "USD", "amount": Decimal("1250.50")}
        if n % 11 == 0:
            fields |= {"currency": "JPY"}
        if n % 9 == 0:
            fields = paid(fields, on=date(2026, 3, 5), gross=50000, withholding=5000, nhi=1055)
        made.append(installment_in(campaign, payee=payees[n % 5] if n % 6 else False, **fields))
    return made


def test_its_totals_over_every_page_are_the_ledgers_row_by_row(alice_client, workspace, varied):
    from campaigns.payouts.board import bank_batch_rows, is_overdue

    rows = ledger_rows(workspace, installments_of(workspace))
    totals = ledger_totals(rows)
    assert totals.incomplete and totals.paid_net and totals.withholding_tax  # a varied ledger
    html = alice_client.get(url(workspace)).text
    assert html.count("data-installment=") == 50  # one page of rows ...
    assert total_on_page(html, "gross") == totals.gross  # ... and the totals of them all
    assert total_on_page(html, "withholding") == totals.withholding_tax
    assert total_on_page(html, "nhi") == totals.nhi_supplement
    assert total_on_page(html, "net") == totals.net
    response = alice_client.get(url(workspace))
    summary = response.context["summary"]
    assert summary.totals == totals
    assert summary.count == len(rows) == 60
    assert summary.overdue == sum(is_overdue(row, TODAY()) for row in rows)
    ready, left_out = bank_batch_rows(rows)
    assert (summary.bank_ready, summary.bank_left_out) == (len(ready), len(left_out))
    assert summary.bank_ready and summary.bank_left_out


def test_the_groups_quote_like_the_rows_whatever_the_filters(workspace, varied, alice):
    from campaigns.payouts.board import installment_list
    from campaigns.payouts.ledger import group_totals, ledger_groups

    membership = alice.memberships.get(workspace=workspace)
    for filters in [{}, {"status": S.APPROVED}, {"due_month": date(2026, 12, 1)}]:
        chosen = installment_list(membership, filters, TODAY())
        assert group_totals(ledger_groups(workspace, chosen)) == ledger_totals(
            ledger_rows(workspace, chosen)
        )


def test_the_page_of_a_month_paid_totals_like_the_months_withholding_summary(
    alice_client, workspace, varied
):
    from campaigns.payouts.board import monthly_summary

    summary = monthly_summary(workspace, date(2026, 3, 1))
    assert summary.totals.gross
    html = alice_client.get(url(workspace, paid_month="2026-03")).text
    assert total_on_page(html, "gross") == summary.totals.gross
    assert total_on_page(html, "withholding") == summary.totals.withholding_tax
    assert total_on_page(html, "nhi") == summary.totals.nhi_supplement
    assert total_on_page(html, "net") == summary.totals.net


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", ""])
def test_a_bad_page_number_shows_a_page_not_an_error(alice_client, workspace, varied, page):
    response = alice_client.get(url(workspace, page=page))
    assert response.status_code == 200
    assert response.text.count("data-installment=") in (50, 10)


def test_a_later_page_keeps_the_filters_and_the_htmx_branch_swaps_the_results(
    alice_client, workspace, varied
):
    first = alice_client.get(url(workspace, status="scheduled")).text
    assert "status=scheduled&amp;page=2" not in first  # 15 scheduled: one page
    everything = alice_client.get(url(workspace, page=2), headers={"HX-Request": "true"})
    assert everything.text.count("data-installment=") == 10
    assert "<html" not in everything.text and 'id="results"' in everything.text


def test_past_the_file_limit_the_page_still_lists_and_totals_but_not_the_bank_file(
    alice_client, workspace, varied, monkeypatch
):
    from campaigns.payouts import board

    monkeypatch.setattr(board, "MAX_ROWS", 20)
    html = alice_client.get(url(workspace)).text
    assert html.count("data-installment=") == 50
    assert total_on_page(html, "gross") > 0
    assert "A file holds at most 20 installments" in html
    assert re.search(r'<button type="submit" class="button button--small" disabled>', html)


def test_a_later_page_of_a_varied_ledger_reads_in_the_same_queries(
    alice_client, workspace, campaign, varied, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        assert alice_client.get(url(workspace, page=2)).status_code == 200
