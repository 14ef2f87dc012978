"""A collaboration's payout ledger on the staff side: everyone in the team sees the schedule and
its figures; managers and owners plan it, approve, pay and cancel (campaigns.services.payouts
holds the rules)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from campaigns.models import (
    Collaboration,
    Installment,
    InstallmentStatus,
    PayeeKind,
    SignedDocument,
)
from campaigns.payouts.ledger import LedgerRow, collaboration_ledger, ledger_totals
from campaigns.payouts.ledger_forms import InstallmentForm, PaymentForm, ScheduleForm
from campaigns.selectors import get_collaboration
from campaigns.services import payouts as services
from campaigns.signing.selectors import receipts_by_installment
from campaigns.views import form_page
from kolhub.http import posted
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


def get_installment(collaboration: Collaboration, installment_id: int) -> Installment:
    """An installment of this collaboration, or 404."""
    try:
        return Installment.objects.get(
            workspace_id=collaboration.workspace_id,
            collaboration=collaboration,
            pk=installment_id,
        )
    except Installment.DoesNotExist:
        raise Http404 from None


def _moves(installment: Installment, can_manage: bool) -> list[tuple[str, str]]:
    """The buttons a row offers this user: (target status, label), payment handled apart."""
    targets = services.MOVES.get(installment.status, set())
    return [
        (status, label)
        for status, label in InstallmentStatus.choices
        if status in targets
        and status != InstallmentStatus.PAID
        and (can_manage or status not in services.MANAGER_MOVES)
    ]


def _payment_form(
    installment: Installment, can_manage: bool, posted_forms: dict[int, PaymentForm]
) -> PaymentForm | None:
    """The "paid" form of an approved installment, for managers (as posted, when it failed)."""
    if not can_manage or installment.status != InstallmentStatus.APPROVED:
        return None
    return posted_forms.get(installment.pk) or PaymentForm(installment=installment)


def _receipt(row: LedgerRow, receipts: dict[int, SignedDocument]) -> dict | None:
    """The receipt an individual payee signs once an installment is approved (a business
    sends an invoice instead): {"document": the version in force or None}, or None."""
    needs_one = row.installment.status in (InstallmentStatus.APPROVED, InstallmentStatus.PAID)
    if not needs_one or (row.payee and row.payee.kind == PayeeKind.BUSINESS):
        return None
    return {"document": receipts.get(row.installment.pk)}


def _panel(
    request: WorkspaceRequest,
    collaboration: Collaboration,
    *,
    error: str = "",
    payment_forms: dict[int, PaymentForm] | None = None,
    schedule_form: ScheduleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = request.membership.can_manage
    rows = collaboration_ledger(collaboration)
    receipts = receipts_by_installment(collaboration)
    payment_forms = payment_forms or {}
    context = {
        "campaign": collaboration.campaign,
        "collaboration": collaboration,
        "section": "campaigns",
        "rows": [
            {
                "row": row,
                "moves": _moves(row.installment, can_manage),
                "payment_form": _payment_form(row.installment, can_manage, payment_forms),
                "receipt": _receipt(row, receipts),
            }
            for row in rows
        ],
        "totals": ledger_totals(rows),
        "can_manage": can_manage,
        "error": error,
        "schedule_form": (schedule_form or ScheduleForm()) if can_manage and not rows else None,
    }
    name = "campaigns/payouts/ledger.html"
    return render(request, f"{name}#payouts" if request.htmx else name, context, status=status)


def _done(request: WorkspaceRequest, collaboration: Collaboration, note: str) -> HttpResponse:
    if request.htmx:
        return _panel(request, collaboration)
    messages.success(request, note)
    return redirect(payouts_url(request, collaboration.pk))


def _refused(
    request: WorkspaceRequest, collaboration: Collaboration, reason: str, **kwargs
) -> HttpResponse:
    if request.htmx:
        return _panel(request, collaboration, error=reason, status=422, **kwargs)
    messages.error(request, reason)
    return redirect(payouts_url(request, collaboration.pk))


@require_GET
@vary_on_headers("HX-Request")
@workspace_member(role=Role.MEMBER)
def collaboration_payouts(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    return _panel(request, get_collaboration(request.membership, collaboration_id))


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def installments_plan(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    form = ScheduleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.installments_schedule(
                collaboration=collaboration, parts=form.parts(), actor=request.user
            )
        except services.PayoutRefused as refused:
            form.add_error(None, str(refused))
        else:
            return _done(request, collaboration, _("Payment schedule saved."))
    if request.htmx and request.method == "POST":
        return _panel(request, collaboration, schedule_form=form, status=422)
    return form_page(
        request,
        form,
        title=_("Plan the payments of %(creator)s") % {"creator": collaboration.creator},
        intro=_("The fee is split into installments; each can be changed afterwards."),
        submit=_("Save the schedule"),
        cancel_url=payouts_url(request, collaboration.pk),
        campaign=collaboration.campaign,
        collaboration=collaboration,
    )


def _installment_form(
    request: WorkspaceRequest, collaboration: Collaboration, installment: Installment | None
) -> HttpResponse:
    initial = {"currency": collaboration.currency, "label": _("Fee")}
    form = InstallmentForm(posted(request), instance=installment, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.installment_save(
                collaboration=collaboration,
                installment=installment,
                data=form.cleaned_data,
                actor=request.user,
            )
        except services.PayoutRefused as refused:
            form.add_error(None, str(refused))
        else:
            return _done(request, collaboration, _("Installment saved."))
    return form_page(
        request,
        form,
        title=_("Change the installment") if installment else _("Add an installment"),
        submit=_("Save the installment"),
        cancel_url=payouts_url(request, collaboration.pk),
        campaign=collaboration.campaign,
        collaboration=collaboration,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def installment_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    return _installment_form(request, collaboration, None)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def installment_edit(
    request: WorkspaceRequest, collaboration_id: int, installment_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    installment = get_installment(collaboration, installment_id)
    return _installment_form(request, collaboration, installment)


@require_POST
@workspace_member(role=Role.MANAGER)
def installment_delete(
    request: WorkspaceRequest, collaboration_id: int, installment_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    installment = get_installment(collaboration, installment_id)
    try:
        services.installment_delete(installment=installment, actor=request.user)
    except services.PayoutRefused as refused:
        return _refused(request, collaboration, str(refused))
    return _done(request, collaboration, _("Installment removed."))


@require_POST
@workspace_member(role=Role.MEMBER)
def installment_move(
    request: WorkspaceRequest, collaboration_id: int, installment_id: int
) -> HttpResponse:
    collaboration = get_collaboration(request.membership, collaboration_id)
    installment = get_installment(collaboration, installment_id)
    target = request.POST.get("to", "")
    if target not in InstallmentStatus.values:
        return _refused(request, collaboration, _("Choose what to do with the installment."))
    payment: dict = {}
    if target == InstallmentStatus.PAID:
        form = PaymentForm(request.POST, installment=installment)
        if not form.is_valid():
            reason = _("Check the payment details below.")
            return _refused(request, collaboration, reason, payment_forms={installment.pk: form})
        payment = {
            "paid_on": form.cleaned_data["paid_on"],
            "reference": form.cleaned_data["reference"],
            "fx_rate": form.cleaned_data.get("fx_rate"),
        }
    try:
        services.installment_move(
            installment=installment,
            to=target,
            actor=request.user,
            can_manage=request.membership.can_manage,
            **payment,
        )
    except services.PayoutRefused as refused:
        return _refused(request, collaboration, str(refused))
    return _done(request, collaboration, _("Installment updated."))


def payouts_url(request: WorkspaceRequest, collaboration_id: int) -> str:
    """Where the ledger is read: its panel on the collaboration page."""
    page = reverse("collaboration_detail", args=[request.workspace.slug, collaboration_id])
    return f"{page}#payouts"
