"""Withholding tax and NHI supplementary premium on one payout, with hand-computed numbers: the
pure rules, the 2026 defaults the migration seeds, and the payout_quote command."""

from __future__ import annotations

import importlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import (
    ChargeKind,
    IncomeType,
    PayeeKind,
    Rounding,
    ThresholdBasis,
    WithholdingRule,
)
from campaigns.payouts.selectors import quote, withholding_rules_on
from campaigns.payouts.tax import Quote, QuoteError, RuleTerms, charge_amount, compute_quote

ON = date(2026, 6, 1)
D = Decimal

# The resident 9A rules as published for 2026, detached from the database.
RESIDENT_9A = [
    RuleTerms(ChargeKind.WITHHOLDING, D("0.10"), ThresholdBasis.CHARGE_ABOVE, D(2000)),
    RuleTerms(
        ChargeKind.NHI_SUPPLEMENT,
        D("0.0211"),
        ThresholdBasis.PAYMENT_AT_LEAST,
        D(20000),
        base_cap=D(10_000_000),
        rounding=Rounding.HALF_UP,
    ),
]


def _amounts(result: Quote) -> tuple[int, int, int, int]:
    return (
        int(result.gross),
        int(result.withholding_tax),
        int(result.nhi_supplement),
        int(result.net),
    )


# --- the pure rules ------------------------------------------------------------------------


def test_it_waives_a_resident_tax_of_exactly_2000():
    # 20,000 x 10 % = 2,000: "does not exceed NT$2,000", so nothing is withheld; NHI starts here.
    assert _amounts(compute_quote(D(20000), RESIDENT_9A, nhi_exempt=False)) == (
        20000,
        0,
        422,
        19578,
    )


def test_it_withholds_the_whole_tax_once_it_exceeds_2000():
    # 20,010 x 10 % = 2,001 withheld in full; NHI 20,010 x 2.11 % = 422.211 -> 422.
    assert _amounts(compute_quote(D(20010), RESIDENT_9A, nhi_exempt=False)) == (
        20010,
        2001,
        422,
        17587,
    )


def test_it_compares_the_tax_after_dropping_the_cents():
    # 20,009 x 10 % = 2,000.9, withheld as 2,000: not above 2,000, so waived.
    assert compute_quote(D(20009), RESIDENT_9A, nhi_exempt=False).withholding_tax == 0


def test_it_charges_no_nhi_on_a_payment_just_under_20000():
    assert _amounts(compute_quote(D(19999), RESIDENT_9A, nhi_exempt=False)) == (
        19999,
        0,
        0,
        19999,
    )


def test_it_rounds_the_nhi_premium_half_up_and_the_tax_down():
    # 25,450 x 2.11 % = 536.995 -> 537; 25,455 x 10 % = 2,545.5 -> 2,545.
    assert compute_quote(D(25450), RESIDENT_9A, nhi_exempt=False).nhi_supplement == 537
    assert compute_quote(D(25455), RESIDENT_9A, nhi_exempt=False).withholding_tax == 2545
    # 35,000 x 2.11 % = 738.5 -> 739: half up, not half to even.
    assert compute_quote(D(35000), RESIDENT_9A, nhi_exempt=False).nhi_supplement == 739
    # 20,071 x 2.11 % = 423.4981 -> 423 (below half).
    assert compute_quote(D(20071), RESIDENT_9A, nhi_exempt=False).nhi_supplement == 423


def test_it_caps_the_nhi_base_at_ten_million():
    # 12,000,000 x 10 % = 1,200,000; NHI on 10,000,000 only: 211,000.
    result = compute_quote(D(12_000_000), RESIDENT_9A, nhi_exempt=False)
    assert _amounts(result) == (12_000_000, 1_200_000, 211_000, 10_589_000)


def test_an_exempt_payee_pays_no_nhi():
    assert _amounts(compute_quote(D(30000), RESIDENT_9A, nhi_exempt=True)) == (
        30000,
        3000,
        0,
        27000,
    )


def test_the_first_matching_alternative_decides_a_charge():
    low = RuleTerms(ChargeKind.WITHHOLDING, D("0.06"), ThresholdBasis.PAYMENT_AT_MOST, D(44250))
    high = RuleTerms(ChargeKind.WITHHOLDING, D("0.18"), ThresholdBasis.PAYMENT_ABOVE, D(44250))
    assert compute_quote(D(44250), [low, high], nhi_exempt=False).withholding_tax == 2655
    assert compute_quote(D(44251), [low, high], nhi_exempt=False).withholding_tax == 7965


def test_a_payment_that_does_not_qualify_is_not_charged():
    rule = RuleTerms(ChargeKind.WITHHOLDING, D("0.20"), ThresholdBasis.PAYMENT_ABOVE, D(5000))
    assert charge_amount(rule, D(5000)) == 0
    assert charge_amount(rule, D(5001)) == 1000


@pytest.mark.parametrize(
    ("gross", "currency", "message"),
    [
        (D(-1), "TWD", "positive"),
        (D("100.5"), "TWD", "whole number"),
        (D("NaN"), "TWD", "positive"),
        (D(100), "USD", "TWD only"),
    ],
)
def test_it_refuses_what_the_rules_do_not_cover(gross, currency, message):
    with pytest.raises(QuoteError, match=message):
        compute_quote(gross, RESIDENT_9A, nhi_exempt=False, currency=currency)


@given(
    gross=st.integers(min_value=0, max_value=10**11),
    nhi_exempt=st.booleans(),
    # Up to 50 %: any withholding rate a table could hold, with the NHI premium beside it.
    rate=st.decimals(min_value=0, max_value=D("0.5"), places=4),
)
def test_net_and_charges_add_up_to_the_gross(gross, nhi_exempt, rate):
    rules = [*RESIDENT_9A, RuleTerms(ChargeKind.WITHHOLDING, rate)]
    result = compute_quote(D(gross), rules[::-1], nhi_exempt=nhi_exempt)
    assert result.net + result.withholding_tax + result.nhi_supplement == result.gross
    assert result.net >= 0
    assert result.withholding_tax == result.withholding_tax.to_integral_value()
    assert result.nhi_supplement == result.nhi_supplement.to_integral_value()


# --- the seeded 2026 rules ----------------------------------------------------------------

SEED = importlib.import_module("campaigns.migrations.0007_add_withholding_rules")


@pytest.fixture
def rules(db):
    """The rules the migration seeds; seeded again where a `transactional_db` test run earlier
    in the session flushed the tables (migration data does not survive a flush)."""
    if not WithholdingRule.objects.exists():
        SEED.seed_withholding_rules(apps, None)


@pytest.mark.parametrize(
    ("payee", "income_type", "gross", "expected"),
    [
        (PayeeKind.RESIDENT, IncomeType.PROFESSIONAL, 20000, (20000, 0, 422, 19578)),
        (PayeeKind.RESIDENT, IncomeType.PROFESSIONAL, 20010, (20010, 2001, 422, 17587)),
        (PayeeKind.RESIDENT, IncomeType.PROFESSIONAL, 19999, (19999, 0, 0, 19999)),
        (PayeeKind.RESIDENT, IncomeType.AUTHORSHIP, 30000, (30000, 3000, 633, 26367)),
        (PayeeKind.RESIDENT, IncomeType.OTHER, 50000, (50000, 0, 0, 50000)),
        # Wages: 5 % from the 2026 starting point of 90,501; NHI from the basic wage 29,500.
        (PayeeKind.RESIDENT, IncomeType.WAGES, 90500, (90500, 0, 1910, 88590)),
        (PayeeKind.RESIDENT, IncomeType.WAGES, 90501, (90501, 4525, 1910, 84066)),
        (PayeeKind.RESIDENT, IncomeType.WAGES, 29499, (29499, 0, 0, 29499)),
        # Non-residents: 20 % on small amounts too, no waiver.
        (PayeeKind.NONRESIDENT, IncomeType.PROFESSIONAL, 1000, (1000, 200, 0, 800)),
        (PayeeKind.NONRESIDENT, IncomeType.PROFESSIONAL, 20000, (20000, 4000, 422, 15578)),
        (PayeeKind.NONRESIDENT, IncomeType.AUTHORSHIP, 5000, (5000, 0, 0, 5000)),
        (PayeeKind.NONRESIDENT, IncomeType.AUTHORSHIP, 5001, (5001, 1000, 0, 4001)),
        (PayeeKind.NONRESIDENT, IncomeType.OTHER, 999, (999, 199, 0, 800)),
        (PayeeKind.NONRESIDENT, IncomeType.WAGES, 40000, (40000, 2400, 844, 36756)),
        (PayeeKind.NONRESIDENT, IncomeType.WAGES, 50000, (50000, 9000, 1055, 39945)),
        # A business invoicing the fee: neither withholding nor NHI.
        (PayeeKind.BUSINESS, IncomeType.PROFESSIONAL, 50000, (50000, 0, 0, 50000)),
        (PayeeKind.BUSINESS, IncomeType.OTHER, 1000, (1000, 0, 0, 1000)),
    ],
)
def test_the_seeded_2026_rules_give_the_published_amounts(
    rules, payee, income_type, gross, expected
):
    assert _amounts(quote(D(gross), payee, income_type, False, ON)) == expected


def test_the_seeded_rules_cite_their_sources(rules):
    rules = WithholdingRule.objects.all()
    assert rules.count() == 18
    assert all(rule.source_url.startswith("https://") and rule.source_title for rule in rules)


def test_a_rule_that_ended_yesterday_does_not_apply(rules):
    WithholdingRule.objects.filter(
        payee_kind=PayeeKind.RESIDENT,
        income_type=IncomeType.PROFESSIONAL,
        charge=ChargeKind.WITHHOLDING,
    ).update(effective_to=date(2026, 6, 30))
    WithholdingRule.objects.create(
        income_type=IncomeType.PROFESSIONAL,
        payee_kind=PayeeKind.RESIDENT,
        charge=ChargeKind.WITHHOLDING,
        rate=D("0.15"),
        effective_from=date(2026, 7, 1),
        source_title="A later rate",
        source_url="https://example.org/rate",
    )
    assert quote(D(10000), "resident", "9A", False, date(2026, 6, 30)).withholding_tax == 0
    assert quote(D(10000), "resident", "9A", False, date(2026, 7, 1)).withholding_tax == 1500


def test_the_year_bound_thresholds_end_with_2026(rules):
    assert withholding_rules_on("resident", "50", date(2026, 12, 31))
    with pytest.raises(QuoteError, match="No withholding rule"):
        quote(D(100000), "resident", "50", False, date(2027, 1, 1))


def test_a_date_before_the_table_is_refused(rules):
    with pytest.raises(QuoteError, match="2025-12-31"):
        quote(D(1000), "resident", "9A", False, date(2025, 12, 31))


def test_a_quote_in_another_currency_is_refused(rules):
    with pytest.raises(QuoteError, match="USD"):
        quote(D(1000), "resident", "9A", False, ON, currency="USD")


# --- the command ---------------------------------------------------------------------------


def _command_json(capsys, *args: str) -> dict:
    call_command("payout_quote", *args)
    return json.loads(capsys.readouterr().out)


def test_the_command_prints_the_quote_as_json_strings(rules, capsys):
    assert _command_json(
        capsys, "--fee", "20010", "--payee", "resident", "--date", "2026-06-01"
    ) == {
        "gross": "20010",
        "withholding_tax": "2001",
        "nhi_supplement": "422",
        "net": "17587",
    }


def test_the_command_takes_the_income_type_and_the_exemption(rules, capsys):
    printed = _command_json(
        capsys,
        "--fee=30,000",
        "--payee=resident",
        "--income-type=9B",
        "--nhi-exempt",
        "--date=2026-06-01",
    )
    assert printed == {
        "gross": "30000",
        "withholding_tax": "3000",
        "nhi_supplement": "0",
        "net": "27000",
    }


def test_the_command_uses_today_by_default(rules, capsys, time_machine):
    time_machine.move_to("2026-03-02 10:00 +08:00")
    assert _command_json(capsys, "--fee", "1000", "--payee", "nonresident")["net"] == "800"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fee", "-5", "--payee", "resident"], "positive amount"),
        (["--fee", "lots", "--payee", "resident"], "must be a number"),
        (["--fee", "Infinity", "--payee", "resident"], "positive amount"),
        (["--fee", "100.5", "--payee", "resident"], "whole number"),
        (["--fee", "100", "--payee", "resident", "--date", "2026-13-01"], "YYYY-MM-DD"),
        (["--fee", "100", "--payee", "resident", "--date", "2025-06-01"], "No withholding rule"),
        (["--fee", "100", "--payee", "business", "--income-type", "50"], "No withholding rule"),
        (["--fee", "100", "--payee", "company"], "invalid choice"),
        (["--fee", "100", "--payee", "resident", "--income-type", "9Z"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(rules, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "payout_quote", *args])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert message in err
    assert "Traceback" not in err
    assert out == ""


def test_bad_input_from_code_is_a_command_error(rules):
    with pytest.raises(CommandError, match="positive amount") as error:
        call_command("payout_quote", "--fee", "-1", "--payee", "resident")
    assert error.value.returncode == 2


# --- the admin -----------------------------------------------------------------------------

ADMIN_ADD = "/admin/campaigns/withholdingrule/add/"
NEW_RULE = {
    "income_type": "9A",
    "payee_kind": "resident",
    "charge": "withholding",
    "rate": "0.12",
    "threshold_basis": "charge_above",
    "threshold": "2000",
    "rounding": "down",
    "effective_from": "2027-01-01",
    "source_title": "各類所得扣繳率標準",
    "source_url": "https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=G0340025",
}


def test_an_admin_adds_next_years_rule_and_quotes_follow_it(rules, superuser_client):
    response = superuser_client.post(ADMIN_ADD, NEW_RULE)
    assert response.status_code == 302
    assert quote(D(30000), "resident", "9A", False, date(2027, 1, 1)).withholding_tax == 3600


@pytest.mark.parametrize(
    "change",
    [
        {"threshold": ""},
        {"rate": "1.5"},
        {"effective_to": "2026-12-31"},
    ],
    ids=["threshold missing", "rate above 100 %", "ends before it starts"],
)
def test_the_admin_refuses_a_rule_that_cannot_apply(rules, superuser_client, change):
    count = WithholdingRule.objects.count()
    response = superuser_client.post(ADMIN_ADD, {**NEW_RULE, **change})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert WithholdingRule.objects.count() == count
