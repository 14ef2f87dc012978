"""Campaign pages: the list, the plan (KPIs, tier budget, brief), timeline, assets, my tasks."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from campaigns import selectors, services
from campaigns.audience_forms import TargetAudienceForm
from campaigns.forms import (
    BriefForm,
    CampaignForm,
    KpiTargetsForm,
    TierBudgetForm,
)
from campaigns.models import (
    BriefAsset,
    BriefVersion,
    Campaign,
    CampaignStatus,
    kpis_in_funnel_order,
)
from campaigns.payouts.plan import payout_plan
from campaigns.services.plan import BRIEF_FIELDS
from creators.audience import label_name
from creators.audience_forms import share_readings
from creators.models import Creator
from kolhub.files import file_response
from kolhub.formatting import grouped
from kolhub.http import posted, row_id
from kolhub.models import Role
from kolhub.selectors import workspace_brands
from kolhub.tenancy import WorkspaceRequest, workspace_member


def campaign_context(request: WorkspaceRequest, campaign: Campaign, tab: str) -> dict:
    """What every tab of a campaign shares: the campaign, the tab and the section for the nav."""
    return {"campaign": campaign, "tab": tab, "section": "campaigns"}


def form_page(
    request: WorkspaceRequest,
    form,
    *,
    title: str,
    submit: str,
    cancel_url: str,
    template: str = "campaigns/form.html",
    **context,
) -> HttpResponse:
    """A page with one form; 422 when it comes back with errors (htmx swaps those too)."""
    context |= {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url}
    context.setdefault("section", "campaigns")
    return render(request, template, context, status=422 if form.errors else 200)


@vary_on_headers("HX-Request")
@require_GET
@workspace_member()
def campaign_list(request: WorkspaceRequest) -> HttpResponse:
    filters = {"brand": request.GET.get("brand", ""), "status": request.GET.get("status", "")}
    if not row_id(filters["brand"]):
        filters["brand"] = ""
    if filters["status"] not in CampaignStatus.values:
        filters["status"] = ""
    context = {
        "campaigns": selectors.campaign_list(request.membership, filters),
        "brands": workspace_brands(request.membership),
        "statuses": CampaignStatus.choices,
        "filters": filters,
        "section": "campaigns",
    }
    template = "campaigns/campaign_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#list"  # the brand page loads its campaigns this way
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def campaign_create(request: WorkspaceRequest) -> HttpResponse:
    campaign = Campaign(workspace=request.workspace)
    if brand_id := request.GET.get("brand", ""):
        campaign.brand_id = row_id(brand_id)
    return _campaign_form(request, campaign)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def campaign_edit(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    return _campaign_form(request, selectors.get_campaign(request.membership, campaign_id))


def _campaign_form(request: WorkspaceRequest, campaign: Campaign) -> HttpResponse:
    form = CampaignForm(
        posted(request),
        instance=campaign,
        membership=request.membership,
        initial={"brand": campaign.brand_id} if campaign.brand_id else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.campaign_save(campaign=form.instance, user=request.user)
        messages.success(request, _("Campaign “%(name)s” saved.") % {"name": saved.name})
        return redirect(
            "campaign_detail", workspace_slug=request.workspace.slug, campaign_id=saved.pk
        )
    if campaign.pk:
        return form_page(
            request,
            form,
            title=_("Edit “%(name)s”") % {"name": campaign.name},
            submit=_("Save campaign"),
            cancel_url=campaign_url(request, campaign),
            template="campaigns/campaign_form.html",
            campaign=campaign,
        )
    return form_page(
        request,
        form,
        title=_("New campaign"),
        intro=_(
            "The observation window is how long results are followed after the last post; "
            "left empty, it is three months."
        ),
        submit=_("Create campaign"),
        cancel_url=reverse("campaign_list", args=[request.workspace.slug]),
        template="campaigns/campaign_form.html",
    )


@require_GET
@workspace_member()
def campaign_detail(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    context = campaign_context(request, campaign, "plan")
    versions = selectors.brief_versions(campaign)
    context.update(
        kpis=kpis_in_funnel_order(campaign.kpi_targets.all()),
        plan=selectors.tier_plan(campaign),
        payouts=payout_plan(request.workspace, campaign, timezone.localdate()),
        brief=versions[0] if versions else None,
        versions=versions,
        stage_counts=selectors.stage_counts(campaign),
        events=selectors.campaign_events(campaign),
        target_audience=[
            (
                str(field.label),
                [(label_name(name, bucket), share) for bucket, share in shares.items()],
            )
            for name, field in TargetAudienceForm.base_fields.items()
            if (shares := campaign.target_audience.get(name))
        ],
    )
    return render(request, "campaigns/campaign_detail.html", context)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def campaign_kpis(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    form = KpiTargetsForm(posted(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        services.kpi_targets_set(campaign=campaign, targets=form.targets())
        messages.success(request, _("KPI targets saved."))
        return redirect(campaign_url(request, campaign))
    return form_page(
        request,
        form,
        title=_("KPI targets"),
        intro=_(
            "Set the targets before launch; results are judged against them. Leave a KPI "
            "empty to not target it. Cost per result is in %(currency)s."
        )
        % {"currency": campaign.currency},
        submit=_("Save targets"),
        cancel_url=campaign_url(request, campaign),
        template="campaigns/kpi_form.html",
        campaign=campaign,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def campaign_audience(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    form = TargetAudienceForm(posted(request), campaign=campaign)
    # "preview" asks how the labels read, without saving: typed (htmx) or the button.
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        services.campaign_target_audience_set(campaign=campaign, target=form.target())
        messages.success(request, _("Target audience saved."))
        return redirect(campaign_url(request, campaign))
    if previewing and request.htmx:
        return render(
            request,
            "campaigns/target_audience_form.html#preview",
            {"readings": share_readings(form)},
        )
    if previewing:
        form.is_valid()  # the page shows what is wrong beside the preview
    return form_page(
        request,
        form,
        title=_("Target audience"),
        intro=_(
            "Who the campaign wants to reach. Each creator's audience is scored against it "
            "(audience fit, 0–100) once their audience data is in. Leave a dimension empty to "
            "not judge it."
        ),
        submit=_("Save target audience"),
        cancel_url=campaign_url(request, campaign),
        template="campaigns/target_audience_form.html",
        campaign=campaign,
        readings=share_readings(form),
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def campaign_budget(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    form = TierBudgetForm(posted(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        services.tier_budgets_set(campaign=campaign, plans=form.plans())
        messages.success(request, _("Tier budget saved."))
        return redirect(campaign_url(request, campaign))
    return form_page(
        request,
        form,
        title=_("Budget by tier"),
        intro=_(
            "A healthy mix has a few big names for reach and many micro creators for trust. "
            "Give each tier a share of the %(currency)s %(budget)s budget or a fixed amount."
        )
        % {"currency": campaign.currency, "budget": grouped(campaign.total_budget)},
        submit=_("Save budget"),
        cancel_url=campaign_url(request, campaign),
        template="campaigns/budget_form.html",
        campaign=campaign,
        plan=selectors.tier_plan(campaign),
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def campaign_brief(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    current = services.latest_brief(campaign)
    assets = list(current.assets.all()) if current else []
    # The form edits an unsaved copy of the latest version: saving always makes a new one.
    copy = BriefVersion(
        workspace=request.workspace,
        campaign=campaign,
        **{name: getattr(current, name) for name in BRIEF_FIELDS if current},
    )
    form = BriefForm(posted(request), request.FILES or None, instance=copy, assets=assets)
    if request.method == "POST" and form.is_valid():
        version = services.brief_publish(
            campaign=campaign,
            user=request.user,
            fields=form.brief_fields(),
            uploads=form.cleaned_data.get("uploads") or [],
            removed_asset_ids=form.cleaned_data.get("remove_assets") or [],
        )
        if current and version.pk == current.pk:
            messages.info(
                request,
                _("Nothing changed; the brief stays at version %(n)s.") % {"n": version.number},
            )
        else:
            messages.success(request, _("Brief version %(n)s saved.") % {"n": version.number})
        return redirect(campaign_url(request, campaign) + "#brief")
    return form_page(
        request,
        form,
        title=_("Brief"),
        intro=_(
            "Creators see the version they were sent when their deal was signed. Saving "
            "changes makes version %(n)s; drafts are checked against the hashtags, mentions, "
            "disclosure, link, promo code and forbidden words below."
        )
        % {"n": (current.number + 1) if current else 1},
        submit=_("Save as a new version"),
        cancel_url=campaign_url(request, campaign) + "#brief",
        template="campaigns/brief_form.html",
        campaign=campaign,
        current=current,
    )


@require_GET
@workspace_member()
def brief_asset_download(request: WorkspaceRequest, asset_id: int) -> FileResponse:
    """A reference file of a brief, to members who may see its campaign."""
    try:
        asset = BriefAsset.objects.for_workspace(request.workspace).get(
            pk=asset_id, campaign__in=selectors.visible_campaigns(request.membership)
        )
    except BriefAsset.DoesNotExist:
        raise Http404 from None
    return file_response(asset.file, name=asset.name, content_type=asset.content_type)


@require_GET
@vary_on_headers("HX-Request")
@workspace_member()
def campaign_timeline(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    context = campaign_context(request, campaign, "timeline") | selectors.timeline(
        campaign, request.GET.get("page")
    )
    template = "campaigns/timeline.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_GET
@workspace_member()
def campaign_assets(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    context = campaign_context(request, campaign, "assets") | {
        "assets": selectors.campaign_assets(campaign),
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/assets.html", context)


@require_GET
@workspace_member(role=Role.MEMBER)
def my_tasks(request: WorkspaceRequest) -> HttpResponse:
    everyone = request.GET.get("who") == "all"
    context = {
        "tasks": selectors.my_tasks(request.membership, everyone=everyone),
        "everyone": everyone,
        "section": "tasks",
    }
    return render(request, "campaigns/my_tasks.html", context)


def campaign_url(request: WorkspaceRequest, campaign: Campaign) -> str:
    return reverse("campaign_detail", args=[request.workspace.slug, campaign.pk])


@vary_on_headers("HX-Request")
@require_GET
@workspace_member(role=Role.MEMBER)
def creator_history(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """The creator profile's history fragment: past collaborations and reliability."""
    if not Creator.objects.for_workspace(request.workspace).filter(pk=creator_id).exists():
        raise Http404
    context = selectors.creator_history(request.workspace, creator_id)
    if request.htmx:
        return render(request, "campaigns/creator_history.html", context)
    context["creator"] = Creator.objects.for_workspace(request.workspace).get(pk=creator_id)
    return render(request, "campaigns/creator_history_page.html", context)
