"""The payout ledger's writes: the schedule of installments and their moves from scheduled to
paid. Every change is an event in the collaboration's log; the figures of a payment are
recorded when it is paid (campaigns.payouts.figures computes them)."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import webhooks
from campaigns.models import (
    Collaboration,
    EventKind,
    Installment,
    InstallmentStatus,
    Payee,
    PayeeKind,
    PaymentStatus,
)
from campaigns.payouts.figures import quote_installment
from campaigns.payouts.selectors import RuleBook
from campaigns.services.roster import event_log
from kolhub.celery import send_task_after_commit
from kolhub.models import User
from kolhub.selectors import exchange_rates

S = InstallmentStatus
# Which statuses an installment may move to from each one. Paid is final: a payment that went
# wrong is corrected outside the ledger (a refund is not a payout).
MOVES: dict[str, set[str]] = {
    S.SCHEDULED: {S.REQUESTED, S.APPROVED, S.CANCELLED},
    S.REQUESTED: {S.SCHEDULED, S.APPROVED, S.CANCELLED},
    S.APPROVED: {S.REQUESTED, S.PAID, S.CANCELLED},
    S.PAID: set(),
    S.CANCELLED: {S.SCHEDULED},
}
# Moves only managers and owners make: money leaves, or is promised to.
MANAGER_MOVES = {S.APPROVED, S.PAID, S.CANCELLED}
# The fields of an installment a schedule edit may set (once approved, none: unapprove first).
EDITABLE = ("label", "amount", "currency", "due_on", "income_type", "position")
EDITABLE_STATUSES = {S.SCHEDULED, S.REQUESTED}
CENT = Decimal("0.01")


class PayoutRefused(Exception):
    """A ledger change the rules do not allow; the message says why, in the user's language."""


def split_fee(fee: Decimal, percents: list[Decimal], currency: str) -> list[Decimal]:
    """The fee split by percentages, each part rounded down to the currency's unit and the last
    part taking the remainder, so the parts always add up to the fee exactly."""
    unit = Decimal(1) if currency == "TWD" else CENT
    parts = [(fee * percent / 100).quantize(unit, rounding=ROUND_DOWN) for percent in percents]
    if parts:
        parts[-1] = fee - sum(parts[:-1])
    return parts


def _log(installment: Installment, action: str, actor: User | None, **data: Any) -> None:
    event_log(
        collaboration=installment.collaboration,
        kind=EventKind.PAYOUT,
        data={
            "action": action,
            "installment": installment.pk,
            "label": installment.label,
            "amount": str(installment.amount),
            "currency": installment.currency,
            **data,
        },
        actor=actor,
        by_creator=actor is None and action == S.REQUESTED,
    )


@transaction.atomic
def installment_save(
    *,
    collaboration: Collaboration,
    data: dict[str, Any],
    actor: User | None,
    installment: Installment | None = None,
) -> Installment:
    """Add an installment to the schedule, or change one not yet approved."""
    if installment is None:
        installment = Installment(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        )
        action, changed = "added", list(EDITABLE)
    else:
        if installment.status not in EDITABLE_STATUSES:
            raise PayoutRefused(_("An approved, paid or cancelled installment cannot be changed."))
        action = "edited"
        changed = [
            name for name in EDITABLE if name in data and getattr(installment, name) != data[name]
        ]
    for name in EDITABLE:
        if name in data:
            setattr(installment, name, data[name])
    installment.save()
    if changed:
        _log(installment, action, actor, fields=changed)
    return installment


@transaction.atomic
def installments_schedule(
    *,
    collaboration: Collaboration,
    parts: list[tuple[str, Decimal, date]],
    actor: User | None,
) -> list[Installment]:
    """Replace the schedule's open installments with `parts` (label, percent of the fee, due
    date); paid and approved ones stay as they are."""
    if collaboration.fee is None:
        raise PayoutRefused(_("Set the fee before planning its payment."))
    kept = Installment.objects.filter(
        workspace_id=collaboration.workspace_id, collaboration=collaboration
    )
    if kept.filter(status__in=[S.APPROVED, S.PAID]).exists():
        raise PayoutRefused(
            _("Some installments are already approved or paid: change the schedule one by one.")
        )
    for old in kept.exclude(status=S.CANCELLED):
        _log(old, "removed", actor)
    kept.delete()
    amounts = split_fee(
        collaboration.fee, [percent for _label, percent, _due in parts], collaboration.currency
    )
    return [
        installment_save(
            collaboration=collaboration,
            data={
                "label": label,
                "amount": amount,
                "currency": collaboration.currency,
                "due_on": due_on,
                "position": position,
            },
            actor=actor,
        )
        for position, ((label, _percent, due_on), amount) in enumerate(
            zip(parts, amounts, strict=True), start=1
        )
    ]


@transaction.atomic
def installment_delete(*, installment: Installment, actor: User | None) -> None:
    """Take an installment off the schedule (only while not approved)."""
    if installment.status not in EDITABLE_STATUSES | {S.CANCELLED}:
        raise PayoutRefused(_("An approved or paid installment cannot be removed."))
    _log(installment, "removed", actor)
    installment.delete()
    collaboration_payment_sync(collaboration=installment.collaboration)


def _check_move(installment: Installment, to: str, *, can_manage: bool) -> None:
    if to not in MOVES.get(installment.status, set()):
        raise PayoutRefused(
            _("An installment cannot go from “%(current)s” to “%(target)s”.")
            % {"current": S(installment.status).label, "target": S(to).label}
        )
    if to in MANAGER_MOVES and not can_manage:
        raise PayoutRefused(_("Only managers and owners approve, pay or cancel installments."))


def _record_payment(
    installment: Installment, paid_on: date | None, reference: str, fx_rate: Decimal | None
) -> None:
    """Fix the payment's figures under the rules and the rate of its payment date."""
    if paid_on is None:
        raise PayoutRefused(_("Enter the date it was paid."))
    if paid_on > timezone.localdate():
        raise PayoutRefused(_("The payment date cannot be in the future."))
    payee = Payee.objects.filter(collaboration_id=installment.collaboration_id).first()
    figures = quote_installment(
        installment,
        payee,
        rules=RuleBook.load(),
        rates=exchange_rates(installment.workspace_id),
        on=paid_on,
        fx_rate=fx_rate,
    )
    if not figures.complete:
        raise PayoutRefused(figures.problem)
    installment.paid_on = paid_on
    installment.paid_reference = reference.strip()[:100]
    installment.fx_rate = figures.fx_rate
    installment.paid_gross = figures.gross
    installment.paid_withholding = figures.withholding_tax
    installment.paid_nhi = figures.nhi_supplement
    installment.paid_net = figures.net
    installment.paid_payee_kind = figures.payee_kind


@transaction.atomic
def installment_move(
    *,
    installment: Installment,
    to: str,
    actor: User | None,
    can_manage: bool,
    paid_on: date | None = None,
    reference: str = "",
    fx_rate: Decimal | None = None,
) -> Installment:
    """Move an installment along the ledger (a creator's request comes with no actor)."""
    # Lock the row, then read it afresh: two managers pressing "paid" at once pay once.
    list(Installment.objects.select_for_update().filter(pk=installment.pk).values_list("pk"))
    installment.refresh_from_db()
    _check_move(installment, to, can_manage=can_manage)
    now = timezone.now()
    if to == S.REQUESTED:
        installment.requested_at = now
    elif to == S.APPROVED:
        installment.approved_at, installment.approved_by = now, actor
    elif to == S.PAID:
        _record_payment(installment, paid_on, reference, fx_rate)
    elif to == S.CANCELLED:
        installment.cancelled_at = now
    elif to == S.SCHEDULED:
        installment.requested_at = installment.cancelled_at = None
    installment.status = to
    installment.save()
    extra = {"paid_on": paid_on.isoformat()} if to == S.PAID and paid_on else {}
    _log(installment, to, actor, **extra)
    collaboration_payment_sync(collaboration=installment.collaboration)
    webhooks.installment_moved(installment)
    if to == S.PAID:  # the creator hears of it once the payment is committed
        send_task_after_commit("campaigns.tasks.send_paid_notice", installment.pk)
    return installment


def collaboration_payment_sync(*, collaboration: Collaboration) -> None:
    """Keep the collaboration's payment summary (unpaid / deposit / paid, with dates) in step
    with its ledger: the roster table and filters read it."""
    rows = list(
        Installment.objects.filter(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        )
        .exclude(status=S.CANCELLED)
        .values_list("status", "paid_on")
    )
    if not rows:
        return
    paid_dates = sorted(paid_on for status, paid_on in rows if status == S.PAID and paid_on)
    if paid_dates and len(paid_dates) == len(rows):
        status, deposit_on, paid_on = PaymentStatus.PAID, paid_dates[0], paid_dates[-1]
    elif paid_dates:
        status, deposit_on, paid_on = PaymentStatus.DEPOSIT, paid_dates[0], None
    else:
        status, deposit_on, paid_on = PaymentStatus.UNPAID, None, None
    Collaboration.objects.filter(pk=collaboration.pk).update(
        payment_status=status, deposit_paid_on=deposit_on, paid_on=paid_on
    )
    collaboration.payment_status = status
    collaboration.deposit_paid_on, collaboration.paid_on = deposit_on, paid_on


# A 統一發票 number: the two-letter track and eight digits (e.g. AB12345678).
INVOICE_NUMBER = re.compile(r"[A-Z]{2}\d{8}")
INVOICE_STATUSES = {S.APPROVED, S.PAID}


@transaction.atomic
def installment_invoice_attach(
    *, installment: Installment, number: str, file: UploadedFile
) -> Installment:
    """Keep a business payee's invoice for an approved or paid installment (from the portal;
    a new upload replaces the earlier one)."""
    installment.refresh_from_db()
    payee = Payee.objects.filter(collaboration_id=installment.collaboration_id).first()
    if payee is None or payee.kind != PayeeKind.BUSINESS:
        raise PayoutRefused(_("Only a business payee uploads an invoice."))
    if installment.status not in INVOICE_STATUSES:
        raise PayoutRefused(_("An invoice is uploaded once the payment is approved."))
    if not INVOICE_NUMBER.fullmatch(number):
        raise PayoutRefused(
            _("The invoice number is two capital letters and eight digits (e.g. AB12345678).")
        )
    old = installment.invoice_file.name if installment.invoice_file else ""
    storage = installment.invoice_file.storage
    installment.invoice_number = number
    installment.invoice_file.save(file.name or "invoice", file, save=False)
    installment.invoice_uploaded_at = timezone.now()
    installment.save(update_fields=["invoice_number", "invoice_file", "invoice_uploaded_at"])
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    event_log(
        collaboration=installment.collaboration,
        kind=EventKind.PAYOUT,
        data={
            "action": "invoice",
            "installment": installment.pk,
            "label": installment.label,
            "amount": str(installment.amount),
            "currency": installment.currency,
            "number": number,
        },
        by_creator=True,
    )
    return installment
