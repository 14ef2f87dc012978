"""The campaign dashboard: a page whose fragments load one by one from the stored figures."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from kolhub import charts
from kolhub.fragments import cached_fragment, cached_page, fragment_key
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking.models import CampaignResult, Post, SharedReport
from tracking.results import dashboards, exports, gallery, selectors, services
from tracking.results.figures import campaign_result_compute, campaign_result_current
from tracking.results.forms import ShareForm
from tracking.results.overlap_view import overlap_view

FRAGMENTS = (
    "kpis",
    "funnel",
    "series",
    "alerts",
    "creators",
    "tiers",
    "platforms",
    "overlap",
    "gallery",
)
# The leaderboard's state lives in the URL, so a sorted view can be bookmarked or shared.
FILTERS = ("sort", "dir", "tier", "platform")
CREATORS_PAGE_SIZE = 50


def stored_result(campaign: Campaign) -> CampaignResult:
    """The campaign's stored figures: computed the first time they are asked for, the final
    report of a closed campaign."""
    return campaign_result_current(campaign)


def filters_from(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET[name] for name in FILTERS if request.GET.get(name)}


def fragment_filters(request: HttpRequest, name: str) -> dict[str, str]:
    """What the page's address passes on to one fragment: the leaderboard's state, and to the
    leaderboard its page."""
    filters = filters_from(request)
    if name == "creators" and request.GET.get("page"):
        filters["page"] = request.GET["page"]
    return filters


@require_GET
@workspace_member()
def campaign_results(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    # The most read page of a campaign, and its figures change with the stored result only:
    # kept whole while nothing it shows changed.
    version = selectors.results_page_version(request.membership, campaign_id)
    if version is None:  # not the member's (404), or its result is computed first
        return _results_page(request, campaign_id, {})
    return cached_page(
        request, "results", version, lambda extra: _results_page(request, campaign_id, extra)
    )


def _results_page(
    request: WorkspaceRequest, campaign_id: int, extra: dict[str, str]
) -> HttpResponse:
    campaign = campaign_selectors.get_campaign(request.membership, campaign_id)
    slug = request.workspace.slug
    result = campaign_result_current(campaign, figures=False)
    return render(
        request,
        "tracking/results.html",
        {
            "base_template": "base.html",
            "campaign": campaign,
            "tab": "results",
            "section": "campaigns",
            "fragments": {
                name: fragment_url(
                    reverse("campaign_results_fragment", args=[slug, campaign.pk, name]),
                    fragment_filters(request, name),
                )
                for name in FRAGMENTS
            },
            "recompute_url": reverse("campaign_results_recompute", args=[slug, campaign.pk]),
            "exports": {
                fmt: reverse("campaign_results_export", args=[slug, campaign.pk, fmt])
                for fmt in exports.FORMATS
            },
            "exports_in_worker": exports.built_in_worker_by_format(result),
            "result": result,
            "shares": shares_of(request, campaign),
            "share_form": ShareForm(),
            # The share form's fields are the same for everyone: kept rendered.
            "share_form_key": fragment_key("results-share-form"),
            "now": timezone.now(),
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        | extra,
    )


def shares_of(request: WorkspaceRequest, campaign: Campaign) -> list[SharedReport] | None:
    """The campaign's share links, for the members who may make them (not client viewers)."""
    if request.membership.is_client:
        return None
    return list(SharedReport.objects.filter(campaign=campaign).select_related("created_by")[:20])


@require_POST
@workspace_member(role=Role.MEMBER)
def campaign_share_create(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_selectors.get_campaign(request.membership, campaign_id)
    form = ShareForm(request.POST)
    results_url = reverse("campaign_results", args=[request.workspace.slug, campaign.pk])
    if not form.is_valid():
        messages.error(request, _("Choose how long the link stays valid."))
        return redirect(results_url)
    services.shared_report_create(campaign=campaign, user=request.user, **form.cleaned_data)
    messages.success(request, _("Share link created. Copy it from the list below."))
    return redirect(f"{results_url}#share")


@require_POST
@workspace_member(role=Role.MEMBER)
def shared_report_revoke(request: WorkspaceRequest, share_id: int) -> HttpResponse:
    share = selectors.get_shared_report(request.membership, share_id)
    services.shared_report_revoke(share=share)
    messages.success(request, _("The link no longer opens the report."))
    return redirect(
        reverse("campaign_results", args=[request.workspace.slug, share.campaign_id]) + "#share"
    )


# --- The client's read-only view ---------------------------------------------


class ShareClosed(Exception):
    """The link existed but was revoked or has expired."""


def active_share_unscoped(token: str) -> SharedReport:
    """The share link of this token, or ShareClosed (shown as 410) or 404. Nothing of the
    campaign is read before the token is known to be good."""
    share = SharedReport.objects.select_related("campaign__brand").filter(token=token).first()
    if share is None:
        raise Http404
    if not share.is_active(timezone.now()):
        raise ShareClosed
    return share


def share_closed_page(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/share_closed.html", status=410)


def shared_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A GET view of a share link: it gets the active share in place of the token; a closed
    link answers 410 with the page that says so."""

    @require_GET
    @wraps(view)
    def resolve(request: HttpRequest, token: str, **kwargs) -> HttpResponseBase:
        try:
            share = active_share_unscoped(token)
        except ShareClosed:
            return share_closed_page(request)
        return view(request, share, **kwargs)

    return resolve


@shared_view
def shared_results(request: HttpRequest, share: SharedReport) -> HttpResponse:
    token = share.token
    services.shared_report_opened(share=share)
    campaign = share.campaign
    result = campaign_result_current(campaign, figures=False)
    return render(
        request,
        "tracking/results.html",
        {
            "base_template": "tracking/shared_base.html",
            "exports": {
                fmt: reverse("shared_results_export", args=[token, fmt]) for fmt in exports.FORMATS
            },
            "exports_in_worker": exports.built_in_worker_by_format(result),
            "shared": True,
            "share": share,
            "campaign": campaign,
            "fragments": {
                name: fragment_url(
                    reverse("shared_results_fragment", args=[token, name]),
                    fragment_filters(request, name),
                )
                for name in FRAGMENTS
            },
            "result": result,
        },
    )


@shared_view
def shared_results_fragment(
    request: HttpRequest, share: SharedReport, fragment: str
) -> HttpResponse:
    token = share.token
    return render_fragment(
        request,
        share.campaign,
        fragment,
        page_url=reverse("shared_results", args=[token]),
        creators_url=reverse("shared_results_fragment", args=[token, "creators"]),
        cover_url=lambda post_id: reverse("shared_post_cover", args=[token, post_id]),
        chart_url=lambda size: reverse("shared_results_chart", args=[token, size]),
    )


def fragment_url(base: str, filters: dict[str, str]) -> str:
    return f"{base}?{urlencode(filters)}" if filters else base


@require_GET
@workspace_member()
def campaign_results_fragment(
    request: WorkspaceRequest, campaign_id: int, fragment: str
) -> HttpResponse:
    campaign = campaign_selectors.get_campaign(request.membership, campaign_id)
    slug = request.workspace.slug
    return render_fragment(
        request,
        campaign,
        fragment,
        page_url=reverse("campaign_results", args=[slug, campaign.pk]),
        creators_url=reverse("campaign_results_fragment", args=[slug, campaign.pk, "creators"]),
        cover_url=lambda post_id: reverse("post_cover", args=[slug, post_id]),
        chart_url=lambda size: reverse("campaign_results_chart", args=[slug, campaign.pk, size]),
    )


@require_POST
@workspace_member(role=Role.MEMBER)
def campaign_results_recompute(request: WorkspaceRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_selectors.get_campaign(request.membership, campaign_id)
    if campaign_result_current(campaign, figures=False).final_at is not None:
        messages.info(
            request,
            _("The campaign is closed: its report is final. Reopen the campaign to recompute."),
        )
    else:
        campaign_result_compute(campaign)
        messages.success(request, _("Figures recomputed."))
    url = reverse("campaign_results", args=[request.workspace.slug, campaign.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def render_fragment(
    request: HttpRequest,
    campaign: Campaign,
    fragment: str,
    *,
    page_url: str,
    creators_url: str,
    cover_url: Callable[[int], str],
    chart_url: Callable[[str], str],
) -> HttpResponse:
    """One fragment of the dashboard (shared by the members' page and the client share link).
    Each reads the one stored row and at most one small table, whatever the campaign's size;
    those drawn from the stored report alone are kept rendered, keyed by the result's version
    and everything else they show (kolhub.fragments)."""
    if fragment not in FRAGMENTS:
        raise Http404
    if fragment == "gallery":
        # The posts themselves, read live: a deleted post shows at once, not at the next run.
        return render(
            request,
            "tracking/results.html#gallery",
            gallery.gallery_context(campaign, request.GET.get("from"), cover_url),
        )

    def rendered() -> str:
        context = fragment_context(
            request,
            campaign,
            fragment,
            page_url=page_url,
            creators_url=creators_url,
            chart_url=chart_url,
        )
        return render_to_string(f"tracking/results.html#{fragment}", context, request)

    if fragment not in REPORT_ONLY:
        return HttpResponse(rendered())
    version = campaign_result_current(campaign, figures=False)
    membership = getattr(request, "membership", None)
    key = fragment_key(
        f"results-{fragment}",
        campaign.workspace_id,
        campaign.pk,
        version.pk,
        version.computed_at.isoformat(),
        version.final_at,
        campaign.currency,
        membership.role if membership else "share",  # who reads: a member's role, a link
        page_url,  # the workspace's or the share link's address
        creators_url,
        sorted(request.GET.lists()),
    )
    return HttpResponse(cached_fragment(key, rendered))


# Fragments drawn from the stored report (and the campaign's currency) alone, so the result's
# version is theirs: cached. kpis and alerts also read the campaign's KPI targets and today's
# date, tiers its tier budgets, the gallery the posts: those are rendered on each request.
REPORT_ONLY = {"funnel", "series", "creators", "platforms", "overlap"}


def fragment_context(
    request: HttpRequest,
    campaign: Campaign,
    fragment: str,
    *,
    page_url: str,
    creators_url: str,
    chart_url: Callable[[str], str],
) -> dict:
    result = stored_result(campaign)
    report = result.report
    context: dict = {"campaign": campaign, "report": report, "currency": campaign.currency}
    if fragment in ("kpis", "alerts"):
        cards = dashboards.kpi_cards(campaign, report, timezone.localdate())
        context |= {
            "cards": cards,
            "alerts": dashboards.alerts(report, cards),
            "ratios": dashboards.campaign_ratios(report),
        }
    elif fragment == "funnel":
        context["steps"] = dashboards.funnel(report)
    elif fragment == "series":
        version = f"?v={result.computed_at.timestamp():.0f}"
        context |= {
            "points": result.series,
            "chart": {size: chart_url(size) + version for size in CHART_SIZES}
            if result.series
            else {},
            "partial_note": dashboards.partial_note(result.series),
        }
    elif fragment == "creators":
        context |= creators_context(request, report, page_url, creators_url)
    elif fragment == "tiers":
        context |= {
            "rows": dashboards.tier_rows(campaign, report),
            "legend": dashboards.legend(dashboards.BREAKDOWN),
        }
    elif fragment == "overlap":
        context["overlap"] = overlap_view(report)
    elif fragment == "platforms":
        context |= {
            "rows": dashboards.platform_rows(report),
            "legend": dashboards.legend(dashboards.BREAKDOWN),
        }
    return context


def creators_context(request: HttpRequest, report: dict, page_url: str, creators_url: str) -> dict:
    """The leaderboard: each column header links to the page sorted by it (and, with htmx,
    swaps only the table and pushes that address)."""
    filters = filters_from(request)  # without the page: a sort or filter starts at page 1
    number = request.GET.get("page")
    sort = filters.get("sort", "cost")
    descending = filters.get("dir", "desc") != "asc"
    rows = [
        row
        for row in report.get("creators", [])
        if filters.get("tier", row["tier"]) == row["tier"]
        and filters.get("platform", row["platform"]) == row["platform"]
    ]
    # Sorted whole, shown a page at a time: only the page's rows get their cells.
    page = Paginator(dashboards.leaderboard_order(rows, sort, descending), CREATORS_PAGE_SIZE)
    shown = page.get_page(number)

    def sorted_by(name: str) -> dict[str, str]:
        return filters | {"sort": name, "dir": "asc" if sort == name and descending else "desc"}

    columns = [
        {
            "name": name,
            "label": label,
            "page": fragment_url(page_url, sorted_by(name)),
            "fragment": fragment_url(creators_url, sorted_by(name)),
        }
        for name, label in [
            ("handle", _("Creator")),
            ("tier", _("Tier")),
            ("platform", _("Platform")),
            ("posts", _("Posts")),
            *[(n, dashboards.FIGURES[n].label) for n in dashboards.LEADERBOARD],
            ("authenticity", _("Authenticity")),
            ("audience_fit", _("Audience fit")),
            ("views_vs_usual", dashboards.FIGURES["views_vs_usual"].label),
            ("sponsored_vs_organic", dashboards.FIGURES["sponsored_vs_organic"].label),
        ]
    ]
    return {
        "rows": dashboards.leaderboard_rows(list(shown)),
        "page": shown,
        "query": urlencode(filters),
        "columns": columns,
        "sort": sort,
        "descending": descending,
        "filters": filters,
        "tiers": [
            (tier, dashboards.tier_label(tier))
            for tier in sorted({row["tier"] for row in report.get("creators", [])})
        ],
        "platforms": [
            (platform, dashboards.platform_label(platform))
            for platform in sorted({row["platform"] for row in report.get("creators", [])})
        ],
        "legend": dashboards.legend(
            [*dashboards.LEADERBOARD, "audience_fit", "views_vs_usual", "sponsored_vs_organic"]
        ),
        "page_url": page_url,
        "creators_url": creators_url,
    }


@require_GET
@workspace_member()
def post_cover(request: WorkspaceRequest, post_id: int) -> HttpResponseBase:
    post = selectors.get_post_with_cover(request.membership, post_id)
    return gallery.cover_response(post)


@shared_view
def shared_post_cover(request: HttpRequest, share: SharedReport, post_id: int) -> HttpResponseBase:
    post = get_object_or_404(
        Post.objects.filter(collaboration__campaign=share.campaign).exclude(thumbnail=""),
        pk=post_id,
    )
    return gallery.cover_response(post)


def series_svg(result: CampaignResult) -> dict[str, bytes]:
    """The chart of views and engagements, wide and narrow (a phone), drawn once per
    computation and language."""
    if not result.series:
        return {}
    key = f"tracking:series-svg:{result.pk}:{result.computed_at.timestamp()}:{get_language()}"
    svg = cache.get(key)
    if svg is None:
        labels, note = dashboards.series_labels(), dashboards.partial_note(result.series)
        svg = {
            size: charts.series_chart(
                result.series, labels, fmt="svg", partial_note=note, narrow=size == "narrow"
            )
            for size in CHART_SIZES
        }
        cache.set(key, svg, timeout=24 * 3600)
    return svg


CHART_SIZES = ("wide", "narrow")


def series_chart_response(campaign: Campaign, size: str) -> HttpResponse:
    """The series chart as an image of its own: kept out of the fragment's HTML (two charts of
    a long campaign weigh 150 KB), cached by the browser for as long as its address, which
    carries the figures' version, stays the same."""
    if size not in CHART_SIZES:
        raise Http404
    svg = series_svg(campaign_result_current(campaign, figures=False)).get(size)
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    patch_cache_control(response, private=True, max_age=24 * 3600)
    return response


@require_GET
@workspace_member()
def campaign_results_chart(request: WorkspaceRequest, campaign_id: int, size: str) -> HttpResponse:
    campaign = campaign_selectors.get_campaign(request.membership, campaign_id)
    return series_chart_response(campaign, size)


@shared_view
def shared_results_chart(request: HttpRequest, share: SharedReport, size: str) -> HttpResponse:
    return series_chart_response(share.campaign, size)
