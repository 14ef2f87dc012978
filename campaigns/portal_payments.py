"""The creator's fee and payments on the portal: the schedule with each installment's figures
from the ledger and why they are what they are, the request for a payment that is due, and a
business payee's invoice for each approved or paid installment.

Like every portal view these start from the token; installment ids are looked up inside the
token's own collaboration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from campaigns.models import (
    Collaboration,
    Installment,
    InstallmentStatus,
    Payee,
    PayeeKind,
    PortalLink,
)
from campaigns.payouts.figures import InstallmentFigures
from campaigns.payouts.ledger import collaboration_ledger, ledger_totals
from campaigns.payouts.reasons import installment_reasons
from campaigns.payouts.selectors import RuleBook
from campaigns.portal_access import portal_view
from campaigns.services.payouts import (
    INVOICE_NUMBER,
    INVOICE_STATUSES,
    PayoutRefused,
    installment_invoice_attach,
    installment_move,
)
from kolhub.uploads import DOCUMENTS, IMAGES, UploadValidator

S = InstallmentStatus
# An invoice is a photo or a scan: a phone picture fits well within this.
INVOICE_MAX_BYTES = 20 * 1024 * 1024
# What people type between the letters and digits of an invoice number.
SEPARATORS = re.compile(r"[\s-]+")
PAYMENTS_PAGE = "campaigns/portal/payments.html"


class InvoiceForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Invoice number"),
        max_length=20,
        help_text=gettext_lazy("Two letters and eight digits, as printed on the invoice."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "AB12345678"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Photo or PDF of the invoice"),
        validators=[UploadValidator(IMAGES | DOCUMENTS, max_bytes=INVOICE_MAX_BYTES)],
    )

    def clean_number(self) -> str:
        number = SEPARATORS.sub("", self.cleaned_data["number"]).upper()
        if not INVOICE_NUMBER.fullmatch(number):
            raise forms.ValidationError(
                _("An invoice number is two letters and eight digits, e.g. AB12345678.")
            )
        return number


@dataclass(frozen=True)
class PaymentRow:
    installment: Installment
    figures: InstallmentFigures
    reasons: list[str]
    note: str
    can_request: bool
    invoice_form: InvoiceForm | None  # only where a business payee owes an invoice
    receipt: bool  # a resident or non-resident signs a service remuneration receipt


def is_due(installment: Installment) -> bool:
    return installment.due_on <= timezone.localdate()


def can_request(installment: Installment) -> bool:
    """The creator may ask for a scheduled installment once its due date has come."""
    return installment.status == S.SCHEDULED and is_due(installment)


def owes_invoice(installment: Installment, payee: Payee | None) -> bool:
    return bool(payee and payee.kind == PayeeKind.BUSINESS) and (
        installment.status in INVOICE_STATUSES
    )


def signs_receipt(installment: Installment, payee: Payee | None) -> bool:
    return bool(payee and payee.kind != PayeeKind.BUSINESS) and (
        installment.status in INVOICE_STATUSES
    )


def status_note(installment: Installment) -> str:
    """What the status means for the creator, in one short sentence."""
    status = installment.status
    if status == S.SCHEDULED:
        if is_due(installment):
            return _("Due: you can ask for this payment now.")
        return _("Scheduled for %(date)s.") % {"date": installment.due_on.isoformat()}
    if status == S.REQUESTED:
        return _("Requested: waiting for the team's approval.")
    if status == S.APPROVED:
        return _("Approved: the transfer is on its way.")
    if status == S.PAID:
        if installment.paid_on:
            return _("Paid on %(date)s.") % {"date": installment.paid_on.isoformat()}
        return _("Paid.")
    return _("Cancelled: this payment will not be made.")


def portal_installment(link: PortalLink, installment_id: int) -> Installment:
    """An installment of the link's collaboration, or 404."""
    try:
        return Installment.objects.select_related("collaboration").get(
            pk=installment_id,
            collaboration_id=link.collaboration_id,
            workspace_id=link.workspace_id,
        )
    except Installment.DoesNotExist:
        raise Http404 from None


def payments_context(link: PortalLink, bound: dict[int, InvoiceForm] | None = None) -> dict:
    """The schedule with figures and reasons, in a fixed number of queries."""
    bound = bound or {}
    collaboration = link.collaboration
    ledger = collaboration_ledger(collaboration)
    rules = RuleBook.load()
    # The ledger read the payee with the schedule; without installments, read it here.
    payee = ledger[0].payee if ledger else Payee.objects.filter(collaboration=collaboration).first()
    rows = [
        PaymentRow(
            installment=row.installment,
            figures=row.figures,
            reasons=installment_reasons(row, rules),
            note=status_note(row.installment),
            can_request=can_request(row.installment),
            invoice_form=(
                bound.get(row.installment.pk) or InvoiceForm(auto_id=f"id_%s_{row.installment.pk}")
                if owes_invoice(row.installment, payee)
                else None
            ),
            receipt=signs_receipt(row.installment, payee),
        )
        for row in ledger
    ]
    return {
        "link": link,
        "collaboration": collaboration,
        "campaign": collaboration.campaign,
        "payee": payee,
        "rows": rows,
        "totals": ledger_totals(ledger) if ledger else None,
        "assumption": next((row.figures.assumption for row in ledger), ""),
    }


def payments_summary(collaboration: Collaboration, payee: Payee | None) -> dict:
    """The portal home's card: the fee, the next payment and what the creator can do (one
    query; the figures are on the payments page)."""
    installments = list(
        Installment.objects.filter(
            workspace_id=collaboration.workspace_id, collaboration=collaboration
        ).order_by("position", "due_on", "pk")
    )
    live = [i for i in installments if i.status != S.CANCELLED]
    return {
        "fee": collaboration.fee,
        "currency": collaboration.currency,
        "count": len(live),
        "paid": sum((i.amount for i in live if i.status == S.PAID), Decimal(0)),
        "next": next((i for i in live if i.is_open), None),
        "requestable": sum(1 for i in live if can_request(i)),
        "invoices_due": sum(1 for i in live if owes_invoice(i, payee) and not i.invoice_file),
    }


@require_GET
@vary_on_headers("HX-Request")
@portal_view
def portal_payments(request: HttpRequest, link: PortalLink) -> HttpResponse:
    htmx = getattr(request, "htmx", False)
    return render(
        request, f"{PAYMENTS_PAGE}#schedule" if htmx else PAYMENTS_PAGE, payments_context(link)
    )


@require_POST
@portal_view
def portal_payment_request(
    request: HttpRequest, link: PortalLink, installment_id: int
) -> HttpResponse:
    installment = portal_installment(link, installment_id)
    if installment.status != S.SCHEDULED:
        messages.error(request, _("This payment was already asked for, paid or cancelled."))
    elif not is_due(installment):
        messages.error(
            request,
            _("This payment is due on %(date)s: you can ask for it from that day.")
            % {"date": installment.due_on.isoformat()},
        )
    else:
        try:
            installment_move(installment=installment, to=S.REQUESTED, actor=None, can_manage=False)
        except PayoutRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("Thank you! We asked the team to pay “%(label)s”.")
                % {"label": installment.label},
            )
    return redirect(payments_url(link) + f"#installment-{installment.pk}")


@require_POST
@portal_view
def portal_invoice(request: HttpRequest, link: PortalLink, installment_id: int) -> HttpResponse:
    installment = portal_installment(link, installment_id)
    form = InvoiceForm(request.POST, request.FILES, auto_id=f"id_%s_{installment.pk}")
    if form.is_valid():
        try:
            installment_invoice_attach(
                installment=installment,
                number=form.cleaned_data["number"],
                file=form.cleaned_data["file"],
            )
        except PayoutRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Thank you! The invoice %(number)s was received.")
                % {"number": installment.invoice_number},
            )
            return redirect(payments_url(link) + f"#installment-{installment.pk}")
    context = payments_context(link, {installment.pk: form})
    if not any(row.invoice_form is form for row in context["rows"]):
        # Not an installment that takes an invoice: say why at the top of the page.
        context["refusal"] = " ".join(str(e) for e in form.non_field_errors()) or _(
            "This payment does not take an invoice."
        )
    return render(request, PAYMENTS_PAGE, context, status=422)


def payments_url(link: PortalLink) -> str:
    return reverse("portal_payments", args=[link.token])
