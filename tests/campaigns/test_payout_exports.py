"""The payout files: the bank batch CSV (owners, logged), the monthly withholding and NHI summary
(managers), the yearly per-payee statement lines (owners, logged); their figures are the page's
and the ledger's."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from campaigns.events import describe_event
from campaigns.models import CollaborationEvent, EventKind, InstallmentStatus, PayeeKind
from campaigns.payouts import board
from kolhub.models import Role
from tests.campaigns.test_payouts_page import installment_in, paid, total_on_page
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

S = InstallmentStatus
TODAY = timezone.localdate


@pytest.fixture
def campaign(brand):
    return CampaignFactory(brand=brand, name="Spring tea")


@pytest.fixture
def manager_client(workspace, client_for):
    user = UserFactory()
    MembershipFactory(workspace=workspace, user=user, role=Role.MANAGER)
    return client_for(user)


def read_csv(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def read_xlsx(response) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# The bank batch file


def bank_url(workspace) -> str:
    return reverse("payouts_bank_file", args=[workspace.slug])


@pytest.fixture
def approved(campaign):
    today = TODAY()
    return [
        installment_in(campaign, status=S.APPROVED, due_on=today, label="Deposit"),
        installment_in(
            campaign,
            status=S.APPROVED,
            due_on=today,
            amount=Decimal(10000),
            label="Rest",
            payee={"legal_name": "陳大文", "tax_id": "F131104093", "bank_code": "8"},
        ),
    ]


def test_the_bank_file_lists_approved_payments_with_the_pages_net(
    alice_client, workspace, campaign, approved
):
    installment_in(campaign, due_on=TODAY())  # scheduled: not in the file
    installment_in(campaign, status=S.APPROVED, due_on=TODAY(), payee=False)  # no details
    response = alice_client.post(bank_url(workspace), {"status": "approved"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [int(r["Installment"]) for r in rows] == [i.pk for i in approved]
    first, second = rows
    assert first["Bank code"] == "812" and first["Branch code"] == "0012"
    assert first["Account number"] == "001234567890" and first["Account holder"] == "王小美"
    assert first["Payee ID"] == "A123456789"
    assert first["Memo"].startswith("Spring tea Deposit")
    assert second["Bank code"] == "008"  # left-padded to the three digits banks ask for
    # Net whole NT$, as the page shows: 50,000 - 5,000 - 1,055; 10,000 with nothing withheld
    # (tax of NT$1,000 is under the NT$2,000 waiver, the payment under the NHI threshold).
    assert [int(r["Amount (NT$)"]) for r in rows] == [43945, 10000]
    page = alice_client.get(reverse("payouts", args=[workspace.slug]) + "?status=approved").text
    assert total_on_page(page, "net") == sum(int(r["Amount (NT$)"]) for r in rows) + 43945


def test_each_bank_file_is_logged_in_the_collaborations_it_reveals(
    alice_client, workspace, approved
):
    alice_client.post(bank_url(workspace), {"status": "approved"})
    events = CollaborationEvent.objects.filter(kind=EventKind.PAYEE).order_by("pk")
    assert sorted(e.collaboration_id for e in events) == sorted(
        i.collaboration_id for i in approved
    )
    assert all(e.actor.email == "alice@example.com" for e in events)
    assert describe_event(events[0]) == "exported the payee's bank details in a bank batch file"


def test_the_bank_file_follows_the_filters(alice_client, workspace, brand, approved):
    other = installment_in(CampaignFactory(brand=brand), status=S.APPROVED, due_on=TODAY())
    rows = read_csv(
        alice_client.post(bank_url(workspace), {"campaign": other.collaboration.campaign_id})
    )
    assert [int(r["Installment"]) for r in rows] == [other.pk]


def test_the_bank_file_leaves_out_a_payment_whose_net_is_unknown(
    alice_client, workspace, campaign, approved
):
    # No USD→TWD rate: the net amount cannot be computed, so it is not guessed into the file.
    installment_in(campaign, status=S.APPROVED, due_on=TODAY(), currency="USD", amount=100)
    page = alice_client.get(reverse("payouts", args=[workspace.slug])).text
    assert "2 approved installments shown are ready to transfer" in page
    assert "1 approved installment lacks bank details or figures" in page
    rows = read_csv(alice_client.post(bank_url(workspace), {}))
    assert [int(r["Installment"]) for r in rows] == [i.pk for i in approved]


def test_the_bank_file_neutralises_formulas(alice_client, workspace, campaign):
    installment_in(
        campaign, status=S.APPROVED, due_on=TODAY(), payee={"account_holder": "=HYPERLINK(1)"}
    )
    rows = read_csv(alice_client.post(bank_url(workspace), {}))
    assert rows[0]["Account holder"] == "'=HYPERLINK(1)"


def test_no_bank_file_without_approved_payments(alice_client, workspace, campaign):
    installment_in(campaign)
    response = alice_client.post(bank_url(workspace), {}, follow=True)
    assert "No approved installment with complete payment details" in response.text
    assert not CollaborationEvent.objects.filter(kind=EventKind.PAYEE).exists()


def test_the_bank_file_names_bad_filters(alice_client, workspace, approved):
    response = alice_client.post(bank_url(workspace), {"due_month": "soon"}, follow=True)
    assert "The filters are not valid" in response.text


def test_the_bank_file_is_bounded(alice_client, workspace, approved, monkeypatch):
    monkeypatch.setattr(board, "MAX_ROWS", 1)
    response = alice_client.post(bank_url(workspace), {})
    assert response.status_code == 302
    assert "More than 1 installments match" in messages_of(response)[0]


def test_only_owners_download_the_bank_file(bob_client, manager_client, workspace, approved):
    assert bob_client.post(bank_url(workspace), {}).status_code == 404
    assert manager_client.post(bank_url(workspace), {}).status_code == 404
    assert not CollaborationEvent.objects.filter(kind=EventKind.PAYEE).exists()


def test_the_bank_file_is_posted_not_fetched(alice_client, workspace, approved):
    assert alice_client.get(bank_url(workspace)).status_code == 405


def test_an_outsider_gets_no_bank_file(charlie_client, workspace, approved):
    assert charlie_client.post(bank_url(workspace), {}).status_code == 404


# The monthly withholding and NHI summary


def summary_url(workspace, file_format="csv", month="") -> str:
    return reverse("payouts_summary", args=[workspace.slug, file_format]) + f"?month={month}"


@pytest.fixture
def march(campaign):
    """Payments of March 2026: two resident 9A, one business 9A, and one paid in April."""
    on = date(2026, 3, 12)
    return [
        installment_in(campaign, **paid({}, on=on, gross=50000, withholding=5000, nhi=1055)),
        installment_in(campaign, **paid({}, on=on, gross=30000, withholding=3000, nhi=633)),
        installment_in(
            campaign,
            payee={"kind": PayeeKind.BUSINESS, "tax_id": "12345675"},
            **{
                **paid({}, on=date(2026, 3, 31), gross=30000, withholding=0, nhi=0),
                "paid_payee_kind": PayeeKind.BUSINESS,
            },
        ),
        installment_in(campaign, **paid({}, on=date(2026, 4, 1), gross=9999, withholding=0, nhi=0)),
    ]


def test_the_monthly_summary_groups_the_months_payments(alice_client, workspace, march):
    rows = read_csv(alice_client.get(summary_url(workspace, month="2026-03")))
    assert [(r["Income type"], r["Payee type"], r["Payments"]) for r in rows] == [
        ("9A Professional practice income", "Business", "1"),
        ("9A Professional practice income", "Resident individual", "2"),
        ("Total", "", "3"),
    ]
    resident, total = rows[1], rows[2]
    assert resident["Gross (NT$)"] == "80000" and resident["Withholding tax (NT$)"] == "8000"
    assert resident["NHI supplementary premium (NT$)"] == "1688"
    assert resident["Net (NT$)"] == "70312"
    assert total["Gross (NT$)"] == "110000" and total["Net (NT$)"] == "100312"


def test_the_monthly_summary_totals_are_the_pages(alice_client, workspace, march):
    rows = read_csv(alice_client.get(summary_url(workspace, month="2026-03")))
    page = alice_client.get(
        reverse("payouts", args=[workspace.slug]) + "?status=paid&paid_month=2026-03"
    ).text
    total = rows[-1]
    assert Decimal(total["Gross (NT$)"]) == total_on_page(page, "gross")
    assert Decimal(total["Withholding tax (NT$)"]) == total_on_page(page, "withholding")
    assert Decimal(total["NHI supplementary premium (NT$)"]) == total_on_page(page, "nhi")
    assert Decimal(total["Net (NT$)"]) == total_on_page(page, "net")


def test_the_monthly_summary_xlsx_says_what_to_remit_by_when(manager_client, workspace, march):
    response = manager_client.get(summary_url(workspace, "xlsx", "2026-03"))
    assert response.status_code == 200
    sheets = read_xlsx(response)
    summary, remit = sheets["Summary"], sheets["To remit"]
    assert summary[-1][0] == "Total" and summary[-1][3] == 110000
    assert remit[1][1:] == (8000, "2026-04-10")  # 扣繳稅款 by the 10th of the next month
    assert remit[2][1:] == (1688, "2026-04-30")  # 補充保費 by the end of the next month


def test_a_december_summary_is_remitted_in_january(alice_client, workspace, campaign):
    installment_in(
        campaign, **paid({}, on=date(2025, 12, 3), gross=20000, withholding=2000, nhi=422)
    )
    sheets = read_xlsx(alice_client.get(summary_url(workspace, "xlsx", "2025-12")))
    assert [row[2] for row in sheets["To remit"][1:]] == ["2026-01-10", "2026-01-31"]


def test_the_monthly_summary_names_a_bad_month(alice_client, workspace):
    response = alice_client.get(summary_url(workspace, month="2026-13"), follow=True)
    assert "Enter a month as YYYY-MM" in response.text


def test_the_monthly_summary_refuses_an_unknown_format(alice_client, workspace):
    assert alice_client.get(summary_url(workspace, "pdf", "2026-03")).status_code == 404


def test_members_get_no_monthly_summary(bob_client, charlie_client, workspace, march):
    assert bob_client.get(summary_url(workspace, month="2026-03")).status_code == 404
    assert charlie_client.get(summary_url(workspace, month="2026-03")).status_code == 404


def test_the_monthly_summary_is_fetched_not_posted(alice_client, workspace):
    assert alice_client.post(summary_url(workspace, month="2026-03")).status_code == 405


def test_the_monthly_summary_query_count_does_not_grow_with_rows(
    alice_client, workspace, campaign, django_assert_max_num_queries
):
    on = date(2026, 3, 5)
    installment_in(campaign, **paid({}, on=on, gross=1000, withholding=0, nhi=0))
    with django_assert_max_num_queries(12) as few:
        alice_client.get(summary_url(workspace, month="2026-03"))
    for _n in range(10):
        installment_in(campaign, **paid({}, on=on, gross=1000, withholding=0, nhi=0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(summary_url(workspace, month="2026-03"))


# The yearly per-payee statement lines


def yearly_url(workspace, file_format="xlsx") -> str:
    return reverse("payouts_yearly", args=[workspace.slug, file_format])


def test_the_yearly_file_has_one_line_per_payee_and_income_type(
    alice_client, workspace, campaign, march
):
    # The same person paid for another collaboration: one statement line, by their ID.
    installment_in(
        campaign, **paid({}, on=date(2026, 6, 1), gross=20000, withholding=2000, nhi=422)
    )
    response = alice_client.post(yearly_url(workspace, "csv"), {"year": 2026})
    assert response.status_code == 200
    rows = read_csv(response)
    assert [(r["Payee name"], r["ID or business number"], r["Income type code"]) for r in rows] == [
        ("王小美", "12345675", "9A"),
        ("王小美", "A123456789", "9A"),
    ]
    person = rows[1]
    assert person["Payments"] == "4"
    assert person["Gross (NT$)"] == str(50000 + 30000 + 9999 + 20000)
    assert person["Withholding tax (NT$)"] == str(5000 + 3000 + 2000)
    assert person["NHI supplementary premium (NT$)"] == str(1055 + 633 + 422)
    assert person["Net (NT$)"] == str(109999 - 10000 - 2110)


def test_the_yearly_xlsx_reads_back_and_is_logged(alice_client, workspace, march):
    response = alice_client.post(yearly_url(workspace), {"year": 2026})
    sheet = read_xlsx(response)["2026"]
    assert sheet[0][:4] == ("Payee name", "ID or business number", "Payee type", "Income type code")
    assert sum(row[6] for row in sheet[1:]) == 50000 + 30000 + 30000 + 9999
    logged = CollaborationEvent.objects.filter(kind=EventKind.PAYEE)
    assert logged.count() == len(march)
    assert "yearly withholding statement" in describe_event(logged.first())


def test_the_yearly_file_names_bad_years(alice_client, workspace, march):
    next_year = TODAY().year + 1
    response = alice_client.post(yearly_url(workspace), {"year": next_year}, follow=True)
    assert "The year cannot be in the future" in response.text
    response = alice_client.post(yearly_url(workspace), {"year": "twenty"}, follow=True)
    assert "Enter a whole number" in response.text
    response = alice_client.post(yearly_url(workspace), {"year": 2001}, follow=True)
    assert "Nothing was paid in 2001" in response.text


def test_only_owners_download_the_yearly_file(
    bob_client, manager_client, charlie_client, workspace, march
):
    for client in (bob_client, manager_client, charlie_client):
        assert client.post(yearly_url(workspace), {"year": 2026}).status_code == 404
    assert not CollaborationEvent.objects.filter(kind=EventKind.PAYEE).exists()


def test_the_yearly_file_is_posted_not_fetched(alice_client, workspace):
    assert alice_client.get(yearly_url(workspace)).status_code == 405


def test_the_yearly_file_is_bounded(alice_client, workspace, march, monkeypatch):
    monkeypatch.setattr(board, "MAX_ROWS", 2)
    response = alice_client.post(yearly_url(workspace), {"year": 2026}, follow=True)
    assert "More than 2 installments match" in response.text


def test_the_quoted_figures_of_a_due_installment_are_in_no_file(alice_client, workspace, campaign):
    installment_in(campaign, due_on=date(2026, 3, 3))
    rows = read_csv(alice_client.get(summary_url(workspace, month="2026-03")))
    assert rows == [
        {
            "Income type": "Total",
            "Payee type": "",
            "Payments": "0",
            "Gross (NT$)": "0",
            "Withholding tax (NT$)": "0",
            "NHI supplementary premium (NT$)": "0",
            "Net (NT$)": "0",
        }
    ]
