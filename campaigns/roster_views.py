"""The roster: board and table, adding creators, stage moves, and a collaboration's own page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from campaigns import selectors, services, stages
from campaigns.forms import (
    AddCreatorsForm,
    BulkForm,
    CollaborationForm,
    DeliverableForm,
    LivePostForm,
    MoveForm,
    PortalLinkForm,
    ShipmentForm,
)
from campaigns.models import Collaboration, Deliverable, DeliverableStatus, Shipment, Stage
from campaigns.views import campaign_context, form_page
from creators.models import FORMAT_PLATFORM, Creator, Shortlist, Tier
from creators.selectors import creator_directory
from kolhub.http import local_url, posted, row_id, row_ids
from kolhub.models import Role
from kolhub.selectors import team_users
from kolhub.tenancy import WorkspaceRequest, workspace_member


def roster_filters(params) -> dict[str, str]:
    stage = params.get("in_stage", "")
    owner = params.get("owner", "")
    return {
        "stage": stage if stage in Stage.values else "",
        "owner": owner if row_id(owner) else "",
        "q": params.get("q", "").strip()[:60],
    }


def filter_query(filters: dict[str, str]) -> str:
    """The roster's filters as a query string (for a board column's "Load more")."""
    params = {"in_stage": filters["stage"], "owner": filters["owner"], "q": filters["q"]}
    return urlencode({name: value for name, value in params.items() if value})


def roster_context(request: WorkspaceRequest, campaign, params) -> dict:
    """The board or table as filtered by `params` (the query string, or a move's form)."""
    filters = roster_filters(params)
    table = params.get("view") == "table"
    prefix = collaboration_prefix(request)
    page = None
    if table:
        page, collaborations = selectors.roster_table(campaign, filters, params.get("page"))
        columns = []
        select = _("Select")
        for row in collaborations:
            row["table_row"] = table_row(row, prefix, select)
        total = page.paginator.count
    else:
        columns = selectors.board(
            campaign, filters, open_column=params.get("column", ""), page=params.get("page")
        )
        for column in columns:
            with_move_menus(column.cards)
        collaborations = []
        total = sum(column.count for column in columns)
    return campaign_context(request, campaign, "roster") | {
        "view": "table" if table else "board",
        "filters": filters,
        "collaborations": collaborations,
        "total": total,
        "columns": columns,
        # The filters as a query string, for each column's "Load more".
        "filter_query": filter_query(filters),
        "page": page,
        "table_query": "&".join(filter(None, [filter_query(filters), "view=table"])),
        "roster_url": reverse("campaign_roster", args=[request.workspace.slug, campaign.pk]),
        "team": list(team_users(request.workspace)),
        "stages": Stage.choices,
        # A URL prefix instead of two reverse() calls per card (300 cards: 600 resolver runs).
        "collaboration_prefix": prefix,
        "shortlists": list(Shortlist.objects.for_workspace(request.workspace).order_by("name")),
        "tiers": Tier.choices,
    }


def collaboration_prefix(request: WorkspaceRequest) -> str:
    """The start of every collaboration's address (the pk and "/" follow)."""
    return reverse("collaboration_detail", args=[request.workspace.slug, 0]).removesuffix("0/")


def with_move_menus(cards: list[dict]) -> None:
    """Each card's move menu, rendered once per stage and shared by the stage's cards: a
    300-card board would otherwise render over a thousand <option>s one by one."""
    labels = {value: str(label) for value, label in Stage.choices}
    menus: dict[str, SafeString] = {}
    for card in cards:
        stage = card["stage"]
        if stage not in menus:
            menus[stage] = format_html_join(
                "",
                '<option value="{}">{}</option>',
                ((target, labels[target]) for target in stages.allowed_moves(stage)),
            )
        card["move_menu"] = menus[stage]
        card["move_targets"] = " ".join(stages.allowed_moves(stage))


# The table's rows are built here rather than in the template: a 300-row table is some 6,600
# template variables, which alone take the page past its 150 ms budget; format_html escapes
# every value all the same.
TABLE_ROW = (
    '<tr><td class="pick"><input type="checkbox" name="collaborations" value="{pk}" form="bulk"'
    ' aria-label="{select} {name}"></td>'
    '<td><a href="{url}"><strong>{name}</strong></a></td>'
    '<td><span class="stage stage--{stage}">{stage_label}</span><br>'
    '<span class="muted">{changed}</span></td>'
    '<td class="hide-sm">{tier}</td>'
    '<td class="num">{fee}</td>'
    '<td class="num hide-sm">{cost}</td>'
    '<td class="hide-sm">{payment}</td>'
    '<td class="num">{published}/{deliverables}</td>'
    '<td class="hide-sm">{due}</td>'
    '<td class="hide-sm">{owner}</td></tr>'
)


def table_row(row: dict, prefix: str, select: str) -> SafeString:
    """One row of the roster table, every value escaped."""
    tier = (
        format_html('<span class="tier tier--{}">{}</span>', row["tier"], row["tier_label"])
        if row["tier"]
        else ""
    )
    return format_html(
        TABLE_ROW,
        pk=row["pk"],
        select=select,
        name=row["name"],
        url=f"{prefix}{row['pk']}/",
        stage=row["stage"],
        stage_label=row["stage_label"],
        changed=row["changed"],
        tier=tier,
        fee=f"{row['currency']} {row['fee_text']}" if row["fee_text"] else "—",
        cost=row["cost_text"],
        payment=row["payment_label"],
        published=row["published_count"],
        deliverables=row["deliverable_count"],
        due=" / ".join(filter(None, [row["draft_due"], row["post_due"]])),
        owner=row["owner"] or "—",
    )


@vary_on_headers("HX-Request")
@require_GET
@workspace_member(role=Role.MEMBER)
def roster(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    column = request.GET.get("column", "")
    if request.htmx and not request.htmx.boosted and column in Stage.values:
        # "Load more" in a board column: the next cards, and the next "Load more".
        found = selectors.board_column(
            campaign, roster_filters(request.GET), column, request.GET.get("page")
        )
        with_move_menus(found.cards)
        context = {
            "campaign": campaign,
            "column": found,
            "filter_query": filter_query(roster_filters(request.GET)),
            "roster_url": request.path,
            "collaboration_prefix": collaboration_prefix(request),
        }
        return render(request, "campaigns/roster.html#more_cards", context)
    template = "campaigns/roster.html"
    if request.htmx and not request.htmx.boosted:
        template += "#roster"
    return render(request, template, roster_context(request, campaign, request.GET))


@require_GET
@workspace_member(role=Role.MEMBER)
def roster_candidates(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    """Creators from the directory matching a search, to tick and add to the roster."""
    campaign = selectors.get_campaign(request.membership, campaign_id)
    query = request.GET.get("q", "").strip()[:60]
    tier = request.GET.get("tier", "")
    filters = {"q": query, "tier": tier if tier in Tier.values else "", "sort": "-followers"}
    candidates = list(creator_directory(request.workspace, filters)[:30])
    on_roster = set(
        Collaboration.objects.filter(campaign=campaign, creator__in=candidates).values_list(
            "creator_id", flat=True
        )
    )
    context = {
        "campaign": campaign,
        "candidates": candidates,
        "on_roster": on_roster,
        "q": query,
    }
    return render(request, "campaigns/roster.html#candidates", context)


@require_POST
@workspace_member(role=Role.MEMBER)
def roster_add(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    """Add creators picked in the directory, or a whole shortlist, as shortlisted."""
    campaign = selectors.get_campaign(request.membership, campaign_id)
    creators = Creator.objects.for_workspace(request.workspace)
    shortlists = Shortlist.objects.for_workspace(request.workspace)
    picked = row_ids(request.POST.getlist("creators"))
    form = AddCreatorsForm(
        request.POST,
        creator_ids=creators.filter(pk__in=picked).values_list("pk", flat=True),
        shortlist_ids=shortlists.values_list("pk", flat=True),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(roster_url(request, campaign.pk))
    chosen = creators.filter(pk__in=form.cleaned_data["creators"] or [])
    if form.cleaned_data.get("shortlist"):
        chosen = chosen | creators.filter(shortlists__pk=form.cleaned_data["shortlist"])
    added, present = services.collaborations_add(
        campaign=campaign, creators=chosen.distinct(), user=request.user
    )
    messages.success(
        request,
        ngettext(
            "%(count)s creator added to the roster.",
            "%(count)s creators added to the roster.",
            added,
        )
        % {"count": added}
        + (
            " "
            + ngettext("%(count)s was already on it.", "%(count)s were already on it.", present)
            % {"count": present}
            if present
            else ""
        ),
    )
    return redirect(roster_url(request, campaign.pk))


@require_POST
@workspace_member(role=Role.MEMBER)
def roster_bulk(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    in_campaign = Collaboration.objects.for_workspace(request.workspace).filter(campaign=campaign)
    form = BulkForm(
        request.POST,
        workspace=request.workspace,
        collaboration_ids=in_campaign.values_list("pk", flat=True),
    )
    back = roster_url(request, campaign.pk) + "?view=table"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    chosen = list(
        in_campaign.filter(pk__in=form.cleaned_data["collaborations"]).select_related("creator")
    )
    action = form.cleaned_data["action"]
    if action == "move":
        _bulk_move(request, chosen, form.cleaned_data["stage"])
    elif action == "assign":
        owner = form.cleaned_data.get("owner")
        count = services.collaborations_assign(collaborations=chosen, owner=owner)
        messages.success(
            request,
            ngettext(
                "%(count)s collaboration reassigned.", "%(count)s collaborations reassigned.", count
            )
            % {"count": count},
        )
    elif not request.membership.can_manage:
        messages.error(request, _("Only managers and owners can remove collaborations."))
    else:
        removed, kept = services.collaborations_remove(collaborations=chosen)
        messages.success(
            request,
            ngettext(
                "%(count)s collaboration removed.", "%(count)s collaborations removed.", removed
            )
            % {"count": removed},
        )
        if kept:
            messages.warning(
                request,
                ngettext(
                    "%(count)s collaboration kept: only collaborations that are shortlisted, "
                    "contacted or declined, with no deliverables, can be removed.",
                    "%(count)s collaborations kept: only collaborations that are shortlisted, "
                    "contacted or declined, with no deliverables, can be removed.",
                    kept,
                )
                % {"count": kept},
            )
    return redirect(back)


def _bulk_move(request: WorkspaceRequest, chosen: list[Collaboration], target: str) -> None:
    moved, refused = services.collaborations_move(
        collaborations=chosen, target=target, user=request.user
    )
    if moved:
        messages.success(
            request,
            ngettext(
                "%(count)s collaboration moved to “%(stage)s”.",
                "%(count)s collaborations moved to “%(stage)s”.",
                len(moved),
            )
            % {"count": len(moved), "stage": Stage(target).label},
        )
    for collaboration, reason in refused:
        messages.error(request, f"{collaboration.creator}: {reason}")


@require_POST
@workspace_member(role=Role.MEMBER)
def collaboration_move(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    """Move one collaboration (board drag, a button, or the collaboration page)."""
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    form = MoveForm(request.POST)
    reason = None
    if form.is_valid():
        try:
            services.collaboration_move(
                collaboration=collaboration,
                target=form.cleaned_data["stage"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except services.StageRefused as refusal:
            reason = str(refusal)
    else:
        reason = _("Choose a stage to move to.")
    if request.htmx:
        # The board re-renders itself; a refusal comes back as a toast with the reason.
        response = render(
            request,
            "campaigns/roster.html#roster",
            roster_context(request, collaboration.campaign, request.POST),
            status=422 if reason else 200,
        )
        moved = _("Moved to “%(stage)s”.") % {"stage": collaboration.get_stage_display()}
        return trigger_client_event(
            response,
            "toast",
            {"level": "error", "message": reason}
            if reason
            else {"level": "success", "message": moved},
        )
    if reason:
        messages.error(request, reason)
    else:
        messages.success(
            request, _("Moved to “%(stage)s”.") % {"stage": collaboration.get_stage_display()}
        )
    back = collaboration_url(request, collaboration.pk)
    return redirect(local_url(request, request.POST.get("next"), back))


@require_GET
@workspace_member(role=Role.MEMBER)
def collaboration_detail(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    return collaboration_page(request, collaboration)


def collaboration_page(
    request: WorkspaceRequest, collaboration: Collaboration, bound: LivePostForm | None = None
) -> HttpResponse:
    """The collaboration page; `bound` is a live-post form that came back with errors."""
    context = campaign_context(request, collaboration.campaign, "roster")
    context.update(selectors.collaboration_page(collaboration))
    post_forms = {}
    for deliverable in context["deliverables"]:
        if bound is not None and bound.deliverable.pk == deliverable.pk:
            post_forms[deliverable.pk] = bound  # shown with its errors, whatever the status
        elif deliverable.status in (DeliverableStatus.APPROVED, DeliverableStatus.PUBLISHED):
            post_forms[deliverable.pk] = LivePostForm(
                initial={"url": deliverable.live_url}, deliverable=deliverable
            )
    context["deliverables"] = [(d, post_forms.get(d.pk)) for d in context["deliverables"]]
    context.update(
        collaboration=collaboration,
        moves=[(s, Stage(s).label) for s in stages.allowed_moves(collaboration.stage)],
        pipeline=[(s.value, s.label) for s in stages.PIPELINE],
        passed=stages.PIPELINE[: stages.PIPELINE.index(collaboration.stage)]
        if collaboration.stage in stages.PIPELINE
        else [],
        portal_form=PortalLinkForm(initial={"language": request.workspace.language, "days": 120}),
        can_manage=request.membership.can_manage,
    )
    return render(
        request,
        "campaigns/collaboration_detail.html",
        context,
        status=422 if bound is not None else 200,
    )


@require_POST
@workspace_member(role=Role.MEMBER)
def deliverable_post(request: WorkspaceRequest, deliverable_id: int) -> HttpResponse:
    """Staff record the live post for a creator who sent the link by other means."""
    deliverable = selectors.get_deliverable(request.membership, deliverable_id)
    form = LivePostForm(request.POST, deliverable=deliverable)
    if deliverable.status not in (DeliverableStatus.APPROVED, DeliverableStatus.PUBLISHED):
        form.add_error("url", _("The deliverable needs an approved draft before it is posted."))
    if not form.is_valid():
        return collaboration_page(request, deliverable.collaboration, bound=form)
    services.live_post_submit(
        deliverable=deliverable, url=form.cleaned_data["url"], user=request.user
    )
    messages.success(request, _("Live post saved; its metrics will be followed."))
    return redirect(collaboration_url(request, deliverable.collaboration_id) + "#deliverables")


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def collaboration_edit(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    form = CollaborationForm(posted(request), instance=collaboration, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.collaboration_update(
            collaboration=form.instance, user=request.user, changed=form.changed_data
        )
        messages.success(request, _("Terms saved."))
        return redirect(collaboration_url(request, collaboration.pk))
    return form_page(
        request,
        form,
        title=_("Terms of %(creator)s") % {"creator": collaboration.creator},
        intro=_("Fee and costs in the collaboration's currency; usage rights as in the contract."),
        submit=_("Save terms"),
        cancel_url=collaboration_url(request, collaboration.pk),
        template="campaigns/collaboration_form.html",
        campaign=collaboration.campaign,
        collaboration=collaboration,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def deliverable_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    return _deliverable_form(request, collaboration, Deliverable())


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def deliverable_edit(request: WorkspaceRequest, deliverable_id: int) -> HttpResponse:
    deliverable = selectors.get_deliverable(request.membership, deliverable_id)
    return _deliverable_form(request, deliverable.collaboration, deliverable)


def first_format_on(platform: str) -> dict[str, str]:
    """The platform with the first format posted there, so the two agree from the start."""
    formats = [format for format, on in FORMAT_PLATFORM.items() if on == platform]
    return {"platform": platform} | ({"format": formats[0]} if formats else {})


def _deliverable_form(
    request: WorkspaceRequest, collaboration: Collaboration, deliverable: Deliverable
) -> HttpResponse:
    if not deliverable.pk:
        platforms = list(collaboration.creator.accounts.values_list("platform", flat=True)[:1])
        initial = first_format_on(platforms[0]) if platforms else {}
    else:
        initial = {}
    form = DeliverableForm(
        posted(request), instance=deliverable, collaboration=collaboration, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.deliverable_save(deliverable=form.instance, user=request.user)
        messages.success(request, _("Deliverable saved."))
        return redirect(collaboration_url(request, collaboration.pk) + "#deliverables")
    return form_page(
        request,
        form,
        title=_("Edit deliverable") if deliverable.pk else _("New deliverable"),
        intro=_("One deliverable is one piece of content in one format, with its due dates."),
        submit=_("Save deliverable"),
        cancel_url=collaboration_url(request, collaboration.pk) + "#deliverables",
        campaign=collaboration.campaign,
        collaboration=collaboration,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def shipment_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    return _shipment_form(request, collaboration, Shipment())


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def shipment_edit(request: WorkspaceRequest, shipment_id: int) -> HttpResponse:
    shipment = selectors.get_shipment(request.workspace, shipment_id)
    collaboration = selectors.get_collaboration(request.membership, shipment.collaboration_id)
    return _shipment_form(request, collaboration, shipment)


def _shipment_form(
    request: WorkspaceRequest, collaboration: Collaboration, shipment: Shipment
) -> HttpResponse:
    form = ShipmentForm(posted(request), instance=shipment, collaboration=collaboration)
    if request.method == "POST" and form.is_valid():
        services.shipment_save(shipment=form.instance, user=request.user)
        messages.success(request, _("Shipment saved."))
        return redirect(collaboration_url(request, collaboration.pk) + "#shipments")
    return form_page(
        request,
        form,
        title=_("Edit shipment") if shipment.pk else _("New shipment"),
        intro=_(
            "The address is visible to managers and owners only. A shipping date moves a "
            "contracted collaboration to “Product shipped”."
        ),
        submit=_("Save shipment"),
        cancel_url=collaboration_url(request, collaboration.pk) + "#shipments",
        campaign=collaboration.campaign,
        collaboration=collaboration,
    )


@require_POST
@workspace_member(role=Role.MEMBER)
def product_received(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    """Staff confirm receipt for a creator who told them by phone or chat."""
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    services.product_received_confirm(collaboration=collaboration, user=request.user)
    messages.success(request, _("Receipt confirmed."))
    return redirect(collaboration_url(request, collaboration.pk) + "#shipments")


@require_POST
@workspace_member(role=Role.MEMBER)
def portal_link_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    form = PortalLinkForm(request.POST)
    if form.is_valid():
        services.portal_link_create(
            collaboration=collaboration,
            user=request.user,
            language=form.cleaned_data["language"],
            days=form.cleaned_data["days"],
        )
        messages.success(
            request, _("A new portal link is ready; any earlier link stopped working.")
        )
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(collaboration_url(request, collaboration.pk) + "#portal")


@require_POST
@workspace_member(role=Role.MEMBER)
def portal_link_revoke(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    for link in collaboration.portal_links.filter(revoked_at__isnull=True):
        services.portal_link_revoke(link=link, user=request.user)
    messages.success(request, _("Portal link revoked: it no longer opens."))
    return redirect(collaboration_url(request, collaboration.pk) + "#portal")


def roster_url(request: WorkspaceRequest, campaign_id: int) -> str:
    return reverse("campaign_roster", args=[request.workspace.slug, campaign_id])


def collaboration_url(request: WorkspaceRequest, collaboration_id: int) -> str:
    return reverse("collaboration_detail", args=[request.workspace.slug, collaboration_id])
