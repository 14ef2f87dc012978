"""The workspace's Payouts page and its files: members see the installments and their figures,
managers download the monthly withholding summary, owners the files with identifiers and bank
details (each of those downloads logged in the collaborations concerned)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from campaigns.payouts import board, exports
from campaigns.payouts.forms import (
    MonthForm,
    PayoutFilterForm,
    YearForm,
    current_month,
)
from campaigns.payouts.ledger import Pricing, ledger_rows
from campaigns.services.payout_exports import payee_details_exported
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member

PAGE_SIZE = 50


def _too_many() -> str:
    return _(
        "More than %(count)s installments match: narrow the filters (a month or a campaign). "
        "A file holds at most %(count)s installments."
    ) % {"count": f"{board.MAX_ROWS:,}"}


def _page_url(request: WorkspaceRequest) -> str:
    return reverse("payouts", args=[request.workspace.slug])


@require_GET
@vary_on_headers("HX-Request")
@workspace_member(role=Role.MEMBER)
def payouts(request: WorkspaceRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PayoutFilterForm(request.GET or None, membership=request.membership)
    filters = form.filters() if request.GET else {}
    installments = board.installment_list(request.membership, filters, today)
    # Totals and counts of every matching installment; figures of the page's rows only.
    pricing = Pricing.load(request.workspace)
    summary = board.board_summary(request.workspace, installments, today, pricing=pricing)
    paginator = Paginator(installments, PAGE_SIZE)
    paginator.count = summary.count  # known already: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    rows = ledger_rows(request.workspace, page.object_list, pricing=pricing)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "section": "payouts",
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "lines": [
            (row, board.is_overdue(row, today), board.is_due_soon(row, today)) for row in rows
        ],
        "summary": summary,
        "too_many": summary.count > board.MAX_ROWS,
        "too_many_message": _too_many(),
        "month_form": MonthForm(initial={"month": current_month()}),
        "year_form": YearForm(initial={"year": today.year}),
        "is_owner": request.membership.has_role(Role.OWNER),
        "can_manage": request.membership.can_manage,
    }
    template = "campaigns/payouts.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _errors(form: Form, name: str) -> str:
    return " ".join(str(error) for error in form.errors.get(name, []))


def _refuse(request: WorkspaceRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect(_page_url(request))


@never_cache
@require_POST
@workspace_member(role=Role.OWNER)
def payouts_bank_file(request: WorkspaceRequest) -> HttpResponse:
    """The approved installments the page's filters choose, as the bank's batch upload."""
    form = PayoutFilterForm(request.POST, membership=request.membership)
    if not form.is_valid():
        return _refuse(request, _("The filters are not valid: check them and try again."))
    try:
        rows = board.bounded_rows(
            request.workspace,
            board.installment_list(request.membership, form.filters(), timezone.localdate()),
        )
    except board.TooManyRows:
        return _refuse(request, _too_many())
    ready, _left_out = board.bank_batch_rows(rows)
    if not ready:
        return _refuse(
            request,
            _(
                "No approved installment with complete payment details matches: approve the "
                "installments to pay, and ask the creators to enter their bank details."
            ),
        )
    payee_details_exported(
        workspace=request.workspace,
        user=request.user,
        export="bank_batch",
        collaboration_ids=[row.installment.collaboration_id for row in ready],
    )
    name = f"bank-batch-{request.workspace.slug}-{timezone.localdate():%Y%m%d}.csv"
    return _download(exports.to_csv(exports.bank_batch_frame(ready)), exports.CSV, name)


@require_GET
@workspace_member(role=Role.MANAGER)
def payouts_summary(request: WorkspaceRequest, file_format: str) -> HttpResponse:
    """The month's payments per income type and payee type, with what to remit by when."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = MonthForm(request.GET)
    if not form.is_valid():
        return _refuse(request, _errors(form, "month"))
    try:
        summary = board.monthly_summary(request.workspace, form.cleaned_data["month"])
    except board.TooManyRows:
        return _refuse(request, _too_many())
    name = f"withholding-{request.workspace.slug}-{summary.month:%Y-%m}.{file_format}"
    frame = exports.summary_frame(summary)
    if file_format == "csv":
        return _download(exports.to_csv(frame), exports.CSV, name)
    data = exports.to_xlsx({_("Summary"): frame, _("To remit"): exports.remit_frame(summary)})
    return _download(data, exports.XLSX, name)


@never_cache
@require_POST
@workspace_member(role=Role.OWNER)
def payouts_yearly(request: WorkspaceRequest, file_format: str) -> HttpResponse:
    """Each payee's payments of a year per income type, for the withholding statements."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = YearForm(request.POST)
    if not form.is_valid():
        return _refuse(request, _errors(form, "year"))
    year = form.cleaned_data["year"]
    try:
        payees = board.yearly_payees(request.workspace, year)
    except board.TooManyRows:
        return _refuse(request, _too_many())
    if not payees:
        return _refuse(request, _("Nothing was paid in %(year)s.") % {"year": year})
    payee_details_exported(
        workspace=request.workspace,
        user=request.user,
        export="yearly",
        collaboration_ids=[pk for payee in payees for pk in payee.collaborations],
    )
    frame = exports.yearly_frame(payees)
    name = f"withholding-statements-{request.workspace.slug}-{year}.{file_format}"
    if file_format == "csv":
        return _download(exports.to_csv(frame), exports.CSV, name)
    return _download(exports.to_xlsx({str(year): frame}), exports.XLSX, name)
