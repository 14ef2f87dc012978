"""Shortlists: the directory's bulk "add to shortlist", and the lists themselves."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from creators import selectors, services
from creators.forms import ShortlistAddForm
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


@require_POST
@workspace_member(role=Role.MEMBER)
def shortlist_add(request: WorkspaceRequest) -> HttpResponse:
    form = ShortlistAddForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error[0])
        back = request.POST.get("next", "")
        # Back to the filtered directory, but only ever to a path of this workspace.
        if back.startswith(f"/w/{request.workspace.slug}/creators/"):
            return redirect(back)
        return redirect("creator_list", workspace_slug=request.workspace.slug)
    shortlist, added = services.shortlist_add(
        workspace=request.workspace,
        creator_ids=form.cleaned_data["creators"],
        user=request.user,
        name=form.cleaned_data["name"],
    )
    messages.success(
        request,
        _("%(count)s creators added to “%(name)s”.") % {"count": added, "name": shortlist.name},
    )
    return redirect(
        "shortlist_detail", workspace_slug=request.workspace.slug, shortlist_id=shortlist.pk
    )


@require_GET
@workspace_member(role=Role.MEMBER)
def shortlist_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "creators/shortlist_list.html",
        {"shortlists": selectors.workspace_shortlists(request.workspace), "section": "creators"},
    )


@require_GET
@workspace_member(role=Role.MEMBER)
def shortlist_detail(request: WorkspaceRequest, shortlist_id: int) -> HttpResponse:
    shortlist = selectors.get_shortlist(request.membership, shortlist_id)
    creators = selectors.shortlist_creators(request.workspace, shortlist)
    return render(
        request,
        "creators/shortlist_detail.html",
        {"shortlist": shortlist, "creators": creators, "section": "creators"},
    )


@require_POST
@workspace_member(role=Role.MEMBER)
def shortlist_remove(request: WorkspaceRequest, shortlist_id: int, creator_id: int) -> HttpResponse:
    shortlist = selectors.get_shortlist(request.membership, shortlist_id)
    creator = selectors.get_creator(request.membership, creator_id)
    services.shortlist_remove(shortlist=shortlist, creator=creator)
    messages.success(request, _("“%(name)s” removed from the shortlist.") % {"name": creator})
    return redirect(
        "shortlist_detail", workspace_slug=request.workspace.slug, shortlist_id=shortlist.pk
    )
