"""The payout ledger: schedules split exactly, moves follow the rules and roles, payments are
recorded with the figures of their day, and the collaboration's payment summary follows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.events import describe_event
from campaigns.models import (
    CollaborationEvent,
    EventKind,
    InstallmentStatus,
    Payee,
    PayeeKind,
    PaymentStatus,
)
from campaigns.payouts.figures import quote_installment
from campaigns.payouts.ledger import collaboration_ledger, ledger_totals
from campaigns.payouts.selectors import RuleBook
from campaigns.services.payouts import (
    PayoutRefused,
    installment_move,
    installment_save,
    installments_schedule,
    split_fee,
)
from kolhub.models import ExchangeRate
from tests.factories import CollaborationFactory, InstallmentFactory

S = InstallmentStatus
TODAY = timezone.localdate


@pytest.mark.parametrize(
    ("fee", "percents", "currency", "parts"),
    [
        (Decimal(50000), [30, 70], "TWD", [Decimal(15000), Decimal(35000)]),
        (Decimal(10001), [33, 33, 34], "TWD", [Decimal(3300), Decimal(3300), Decimal(3401)]),
        (Decimal("100.01"), [50, 50], "USD", [Decimal("50.00"), Decimal("50.01")]),
    ],
)
def test_it_splits_a_fee_into_parts_that_add_up_exactly(fee, percents, currency, parts):
    assert split_fee(fee, [Decimal(p) for p in percents], currency) == parts
    assert sum(parts) == fee


def test_it_plans_a_schedule_from_percentages_and_logs_each_installment(db, alice):
    collaboration = CollaborationFactory(fee=Decimal(50000))
    due = TODAY() + timedelta(days=30)
    made = installments_schedule(
        collaboration=collaboration,
        parts=[("On signing", Decimal(30), TODAY()), ("After 14 days live", Decimal(70), due)],
        actor=alice,
    )
    assert [(i.position, i.amount, i.due_on) for i in made] == [
        (1, Decimal(15000), TODAY()),
        (2, Decimal(35000), due),
    ]
    events = CollaborationEvent.objects.filter(collaboration=collaboration, kind=EventKind.PAYOUT)
    assert events.count() == 2
    assert "15,000" in describe_event(events.last()) or "15000" in describe_event(events.last())


def test_it_refuses_a_schedule_before_the_fee_is_set(db, alice):
    collaboration = CollaborationFactory(fee=None)
    with pytest.raises(PayoutRefused):
        installments_schedule(
            collaboration=collaboration, parts=[("All", Decimal(100), TODAY())], actor=alice
        )


def test_a_member_may_request_but_not_approve(db, bob):
    installment = InstallmentFactory()
    installment_move(installment=installment, to=S.REQUESTED, actor=bob, can_manage=False)
    with pytest.raises(PayoutRefused, match="managers"):
        installment_move(installment=installment, to=S.APPROVED, actor=bob, can_manage=False)


def test_it_refuses_a_move_the_ledger_does_not_allow(db, alice):
    installment = InstallmentFactory()
    with pytest.raises(PayoutRefused):
        installment_move(
            installment=installment, to=S.PAID, actor=alice, can_manage=True, paid_on=TODAY()
        )


def _pay(installment, alice, **kwargs):
    installment_move(installment=installment, to=S.APPROVED, actor=alice, can_manage=True)
    return installment_move(
        installment=installment, to=S.PAID, actor=alice, can_manage=True, **kwargs
    )


def test_paying_records_the_figures_of_the_payment_day(db, alice):
    installment = InstallmentFactory(amount=Decimal(50000))
    paid = _pay(installment, alice, paid_on=TODAY(), reference="TX-1")
    # 50,000 of 9A to a resident: 10 % withheld (5,000 > 2,000), NHI 2.11 % = 1,055.
    assert (paid.paid_gross, paid.paid_withholding, paid.paid_nhi, paid.paid_net) == (
        Decimal(50000),
        Decimal(5000),
        Decimal(1055),
        Decimal(43945),
    )
    assert paid.paid_payee_kind == PayeeKind.RESIDENT
    installment.collaboration.refresh_from_db()
    assert installment.collaboration.payment_status == PaymentStatus.PAID
    assert installment.collaboration.paid_on == TODAY()


def test_paying_needs_a_date_not_in_the_future(db, alice):
    installment = InstallmentFactory()
    installment_move(installment=installment, to=S.APPROVED, actor=alice, can_manage=True)
    for paid_on in (None, TODAY() + timedelta(days=1)):
        with pytest.raises(PayoutRefused):
            installment_move(
                installment=installment, to=S.PAID, actor=alice, can_manage=True, paid_on=paid_on
            )


def test_a_foreign_currency_payment_is_converted_at_the_rate_recorded_when_paid(db, alice):
    installment = InstallmentFactory(amount=Decimal("1000.00"), currency="USD")
    with pytest.raises(PayoutRefused, match="USD"):
        _pay(installment, alice, paid_on=TODAY())
    ExchangeRate.objects.create(
        workspace=installment.workspace, currency="USD", into="TWD", rate=Decimal("32.5")
    )
    paid = installment_move(
        installment=installment, to=S.PAID, actor=alice, can_manage=True, paid_on=TODAY()
    )
    assert paid.fx_rate == Decimal("32.5") and paid.paid_gross == Decimal(32500)


def test_one_paid_of_two_is_a_deposit(db, alice):
    first = InstallmentFactory(amount=Decimal(15000))
    InstallmentFactory(collaboration=first.collaboration, amount=Decimal(35000), position=2)
    _pay(first, alice, paid_on=TODAY())
    first.collaboration.refresh_from_db()
    assert first.collaboration.payment_status == PaymentStatus.DEPOSIT
    assert first.collaboration.deposit_paid_on == TODAY()


def test_an_approved_installment_cannot_be_edited(db, alice):
    installment = InstallmentFactory()
    installment_move(installment=installment, to=S.APPROVED, actor=alice, can_manage=True)
    with pytest.raises(PayoutRefused):
        installment_save(
            collaboration=installment.collaboration,
            installment=installment,
            data={"amount": Decimal(1)},
            actor=alice,
        )


def test_the_ledger_quotes_each_installment_for_its_payee(db):
    installment = InstallmentFactory(amount=Decimal(30000))
    Payee.objects.create(
        workspace=installment.workspace,
        collaboration=installment.collaboration,
        kind=PayeeKind.BUSINESS,
        legal_name="小美工作室",
        updated_via="staff",
    )
    InstallmentFactory(collaboration=installment.collaboration, amount=Decimal(1000), position=2)
    rows = collaboration_ledger(installment.collaboration)
    assert [row.figures.net for row in rows] == [Decimal(30000), Decimal(1000)]
    totals = ledger_totals(rows)
    assert (totals.gross, totals.net, totals.paid_net, totals.incomplete) == (
        Decimal(31000),
        Decimal(31000),
        Decimal(0),
        0,
    )


def test_without_payee_details_the_estimate_says_what_it_assumes(db):
    installment = InstallmentFactory(amount=Decimal(1000))
    figures = quote_installment(installment, None, rules=RuleBook.load(), rates={})
    assert figures.net == Decimal(1000) and figures.assumption
