from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from creators import charts, export, selectors, services
from creators.forms import AccountForm, CreatorForm, DirectoryFilterForm
from creators.models import Creator
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member

PAGE_SIZE = 25


def get_creator(request: WorkspaceRequest, creator_id: int) -> Creator:
    """A creator of the request's workspace, or 404."""
    try:
        return selectors.creator_profile(request.workspace, creator_id)
    except Creator.DoesNotExist:
        raise Http404 from None


def _posted(request: WorkspaceRequest):
    return request.POST if request.method == "POST" else None


@vary_on_headers("HX-Request")
@require_GET
@workspace_member(role=Role.MEMBER)
def creator_list(request: WorkspaceRequest) -> HttpResponse:
    categories = selectors.workspace_categories(request.workspace)
    form = DirectoryFilterForm(
        request.GET,
        workspace=request.workspace,
        categories=categories,
        regions=selectors.workspace_regions(request.workspace),
    )
    creators = selectors.creator_directory(request.workspace, form.filters())
    page = Paginator(creators, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "section": "creators"}
    template = "creators/creator_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", export.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.to_xlsx),
}


@require_GET
@workspace_member(role=Role.MEMBER)
def creator_export(request: WorkspaceRequest, file_format: str) -> HttpResponse:
    """The directory as filtered on screen, as a CSV or XLSX download."""
    if file_format not in EXPORT_TYPES:
        raise Http404
    form = DirectoryFilterForm(
        request.GET,
        workspace=request.workspace,
        categories=selectors.workspace_categories(request.workspace),
        regions=selectors.workspace_regions(request.workspace),
    )
    creators = selectors.creator_directory(request.workspace, form.filters())
    content_type, render_file = EXPORT_TYPES[file_format]
    response = HttpResponse(
        render_file(export.directory_frame(creators)), content_type=content_type
    )
    filename = f"creators-{request.workspace.slug}-{timezone.localdate():%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def creator_create(request: WorkspaceRequest) -> HttpResponse:
    return _creator_form(request, Creator(rate_currency=request.workspace.currency))


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def creator_edit(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    return _creator_form(request, get_creator(request, creator_id))


def _creator_form(request: WorkspaceRequest, creator: Creator) -> HttpResponse:
    form = CreatorForm(_posted(request), instance=creator, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        saved = services.creator_save(
            creator=form.instance, categories=form.cleaned_data["categories"]
        )
        messages.success(request, _("Creator “%(name)s” saved.") % {"name": saved.display_name})
        return redirect(
            "creator_detail", workspace_slug=request.workspace.slug, creator_id=saved.pk
        )
    return render(
        request,
        "creators/creator_form.html",
        {"form": form, "creator": creator if creator.pk else None, "section": "creators"},
        status=422 if form.errors else 200,
    )


@require_GET
@workspace_member(role=Role.MEMBER)
def creator_detail(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    creator = get_creator(request, creator_id)
    history = selectors.follower_history(request.workspace, creator)
    accounts = [
        (account, charts.line_chart(history.get(account.pk, [])))
        for account in creator.accounts.all()
    ]
    audience = selectors.latest_audience(request.workspace, creator)
    context = {
        "creator": creator,
        "accounts": accounts,
        "audience": audience,
        "audience_charts": _audience_charts(audience),
        "account_form": AccountForm(workspace=request.workspace),
        "show_contacts": request.membership.can_manage,
        "section": "creators",
    }
    return render(request, "creators/creator_detail.html", context)


def _audience_charts(audience) -> list[tuple[str, list]]:
    if audience is None:
        return []
    dimensions = [
        (_("Age"), audience.age),
        (_("Gender"), audience.gender),
        (_("Countries"), audience.countries),
        (_("Cities"), audience.cities),
    ]
    return [(title, charts.bar_chart(shares)) for title, shares in dimensions if shares]


@require_http_methods(["POST"])
@workspace_member(role=Role.MEMBER)
def account_add(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    creator = get_creator(request, creator_id)
    form = AccountForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        account = services.account_add(
            creator=creator,
            platform=form.cleaned_data["platform"],
            handle=form.cleaned_data["handle"],
            url=form.cleaned_data.get("url", ""),
            platform_id=form.cleaned_data.get("platform_id", ""),
            followers=form.cleaned_data.get("followers"),
        )
        messages.success(request, _("%(account)s added.") % {"account": account})
        return redirect(
            "creator_detail", workspace_slug=request.workspace.slug, creator_id=creator.pk
        )
    history = selectors.follower_history(request.workspace, creator)
    context = {
        "creator": creator,
        "accounts": [(a, charts.line_chart(history.get(a.pk, []))) for a in creator.accounts.all()],
        "account_form": form,
        "duplicate": form.existing,
        "show_contacts": request.membership.can_manage,
        "section": "creators",
    }
    template = "creators/creator_detail.html"
    if request.htmx:
        template += "#account-form"
    return render(request, template, context, status=422)
