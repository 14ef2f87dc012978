from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from creators import export_files, selectors, services
from creators.audience import label_name
from creators.audience_forms import (
    AudienceForm,
    AudienceSampleForm,
    CommentSampleForm,
    share_readings,
)
from creators.audience_labels import canonical_shares
from creators.audience_sources import audience_provenance
from creators.forms import AccountForm, CreatorForm, DirectoryFilterForm, TierThresholdsForm
from creators.models import Classification, Creator, Platform, RelationshipStatus, Tier
from creators.templatetags.faces import picture_face
from kolhub import charts
from kolhub.counting import CountedPaginator, row_count
from kolhub.files import file_response
from kolhub.formatting import compact_count, grouped, money, percent
from kolhub.fragments import cached_page, fragment_key
from kolhub.http import posted
from kolhub.models import Role, Workspace
from kolhub.tenancy import WorkspaceRequest, workspace_member

PAGE_SIZE = 25


@vary_on_headers("HX-Request")
@require_GET
@workspace_member(role=Role.MEMBER)
def creator_list(request: WorkspaceRequest) -> HttpResponse:
    categories = selectors.workspace_categories(request.workspace)
    regions = selectors.workspace_regions(request.workspace)

    def filter_form() -> DirectoryFilterForm:
        return DirectoryFilterForm(
            request.GET, workspace=request.workspace, categories=categories, regions=regions
        )

    # The whole roster, unfiltered, is the view opened most: it has nothing to validate.
    form = filter_form() if set(request.GET) - {"page"} else None
    creators = selectors.creator_directory_page(request.workspace, form.filters() if form else {})
    total = row_count(creators)
    page = CountedPaginator(creators, PAGE_SIZE, total=total).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    extras = selectors.directory_row_extras(request.workspace, [c.pk for c in shown])
    query = request.GET.copy()
    query.pop("page", None)
    filters = (categories, regions, sorted(query.lists()))
    # Kept whole while the rows it lists read the same (a team goes back to the same list
    # from each profile it opens); the filters are kept rendered for everyone.
    version = (
        filters,
        total,
        [[c.pk, *(getattr(c, column) for column in selectors.DIRECTORY_COLUMNS)] for c in shown],
        extras,
    )

    def render_page(extra: dict[str, str]) -> HttpResponse:
        context = {
            "form": form or filter_form(),
            "filters_key": fragment_key("directory-filters", request.workspace.pk, *filters),
            "page": page,
            "rows": directory_rows(request.workspace, shown, extras),
            "total": total,
            "query": query.urlencode(),
            "section": "creators",
            "exports_in_worker": export_files.built_in_worker(total.value),
        }
        template = "creators/creator_list.html"
        if request.htmx and not request.htmx.boosted:
            template += "#results"
        return render(request, template, context | extra)

    return cached_page(request, "directory", version, render_page)


def directory_rows(
    workspace: Workspace,
    creators: list[Creator],
    extras: tuple[dict[int, list[selectors.AccountCells]], dict[int, list[str]]],
) -> list[dict[str, Any]]:
    """The directory's rows with their texts, labels, links and faces worked out here, once:
    a row costs the template a few lookups instead of includes, tags and choice lookups."""
    labels = {
        name: {value: str(label) for value, label in choices}
        for name, choices in (
            ("platform", Platform.choices),
            ("tier", Tier.choices),
            ("classification", Classification.choices),
            ("status", RelationshipStatus.choices),
        )
    }
    accounts, categories = extras
    detail = reverse("creator_detail", args=[workspace.slug, 0]).removesuffix("/0/")
    rows = []
    for creator in creators:
        mine = accounts[creator.pk]
        pictured = next((cells for cells in mine if cells[4]), None)
        score = creator.authenticity_score
        rows.append(
            {
                "creator": creator,
                "url": f"{detail}/{creator.pk}/",
                "face": picture_face(
                    pictured[0] if pictured else None,
                    pictured[4] if pictured else "",
                    creator.display_name,
                    "sm",
                    workspace.slug,
                ),
                "classification": labels["classification"].get(creator.classification, ""),
                "do_not_work": labels["status"][RelationshipStatus.DO_NOT_WORK]
                if creator.relationship_status == RelationshipStatus.DO_NOT_WORK
                else "",
                "meta": " · ".join(
                    [*categories[creator.pk], *([creator.region] if creator.region else [])]
                ),
                "accounts": [
                    {
                        "platform": platform,
                        "platform_label": labels["platform"].get(platform, ""),
                        "followers": compact_count(followers),
                        "tier": tier,
                        "tier_label": labels["tier"].get(tier, ""),
                    }
                    for _pk, platform, followers, tier, _avatar in mine[:4]
                ],
                "followers": compact_count(creator.total_followers),
                "top_tier_label": labels["tier"].get(creator.top_tier, ""),
                "select_label": _("Select %(name)s") % {"name": creator.display_name},
                "engagement": percent(creator.engagement_rate, 2),
                "vs_tier": None
                if creator.engagement_vs_tier is None
                else _("%(ratio)s× its tier") % {"ratio": grouped(creator.engagement_vs_tier, 2)},
                "stability": None
                if creator.engagement_stability is None
                else _("CV %(cv)s") % {"cv": grouped(creator.engagement_stability, 2)},
                "authenticity": None
                if score is None
                else "good"
                if score >= 80
                else "fair"
                if score >= 60
                else "poor",
                "red_flags": None
                if creator.red_flags is None
                else ngettext("%(n)s red flag", "%(n)s red flags", creator.red_flags)
                % {"n": creator.red_flags},
                "sponsored": None
                if creator.sponsored_vs_organic is None
                else grouped(creator.sponsored_vs_organic, 2),
                "price": None
                if creator.min_price is None
                else money(creator.min_price, creator.rate_currency),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def creator_create(request: WorkspaceRequest) -> HttpResponse:
    return _creator_form(request, Creator(rate_currency=request.workspace.currency))


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def creator_edit(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    return _creator_form(request, selectors.get_creator(request.membership, creator_id))


def _creator_form(request: WorkspaceRequest, creator: Creator) -> HttpResponse:
    form = CreatorForm(
        posted(request),
        instance=creator,
        workspace=request.workspace,
        show_contacts=request.membership.can_manage,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.creator_save(
            creator=form.instance,
            categories=form.cleaned_data["categories"],
            tag_names=form.tag_names(),
            rates=form.rates(),
        )
        if form.profile is not None:
            services.account_add(
                creator=saved,
                platform=form.profile.platform,
                handle=form.profile.handle,
                url=form.profile.url,
                platform_id=form.profile.platform_id,
                followers=form.cleaned_data.get("profile_followers"),
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
    creator = selectors.get_creator(request.membership, creator_id)
    history = selectors.follower_history(request.workspace, creator)
    accounts = [
        (account, _followers_chart(history.get(account.pk, [])))
        for account in creator.accounts.all()
    ]
    audience = selectors.latest_audience(request.workspace, creator)
    context = {
        "creator": creator,
        "accounts": accounts,
        "audience": audience,
        "audience_from": audience_provenance(
            source=audience.source,
            platform=audience.account.platform,
            captured_on=audience.captured_on,
        )
        if audience
        else "",
        "audience_charts": _audience_charts(audience),
        "account_form": AccountForm(workspace=request.workspace),
        "show_contacts": request.membership.can_manage,
        "section": "creators",
    }
    return render(request, "creators/creator_detail.html", context)


@require_GET
@workspace_member(role=Role.MEMBER)
def account_avatar(request: WorkspaceRequest, account_id: int) -> HttpResponseBase:
    """The account's profile picture, as the worker copied it from the platform."""
    account = selectors.get_account_with_avatar(request.membership, account_id)
    response = file_response(
        account.avatar, name=f"account-{account.pk}.jpg", content_type="image/jpeg"
    )
    # Pages name the stored file in the address (?v=), so a new picture is a new URL.
    response["Cache-Control"] = "private, max-age=604800"
    return response


def _followers_chart(series: list[tuple]) -> charts.Chart | None:
    if len(series) < 2:
        return None
    start, end = series[0][0].isoformat(), series[-1][0].isoformat()
    title = _("Followers from %(start)s to %(end)s") % {"start": start, "end": end}
    return charts.line_chart(series, title=title)


def _audience_charts(audience) -> list[charts.Chart]:
    if audience is None:
        return []
    dimensions = [
        (_("Age"), "age", audience.age),
        (_("Gender"), "gender", audience.gender),
        (_("Countries"), "countries", audience.countries),
        (_("Cities"), "cities", audience.cities),
    ]
    return [
        charts.bar_chart(
            {label_name(name, key): share for key, share in canonical_shares(name, shares).items()},
            title=title,
        )
        for title, name, shares in dimensions
        if shares
    ]


@require_http_methods(["POST"])
@workspace_member(role=Role.MEMBER)
def account_add(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    creator = selectors.get_creator(request.membership, creator_id)
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
        "accounts": [(a, _followers_chart(history.get(a.pk, []))) for a in creator.accounts.all()],
        "account_form": form,
        "duplicate": form.existing,
        "show_contacts": request.membership.can_manage,
        "section": "creators",
    }
    template = "creators/creator_detail.html"
    if request.htmx:
        template += "#account-form"
    return render(request, template, context, status=422)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def tier_settings(request: WorkspaceRequest) -> HttpResponse:
    thresholds = services.tier_thresholds(request.workspace)
    form = TierThresholdsForm(posted(request), instance=thresholds)
    if request.method == "POST" and form.is_valid():
        services.tier_thresholds_update(thresholds=form.instance)
        messages.success(request, _("Tier thresholds saved; every account was re-tiered."))
        return redirect("tier_settings", workspace_slug=request.workspace.slug)
    return render(
        request,
        "creators/tier_settings.html",
        {"form": form, "section": "creators"},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def creator_merge(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """Fold a duplicate into this creator."""
    creator = selectors.get_creator(request.membership, creator_id)
    status = 200
    if request.method == "POST":
        source = selectors.get_creator(request.membership, _int_or_404(request.POST.get("source")))
        if source.pk == creator.pk:
            raise Http404
        name = source.display_name
        try:
            services.creators_merge(target=creator, source=source)
        except services.MergeRefused as refusal:
            messages.error(request, str(refusal))
            status = 409
        else:
            messages.success(
                request,
                _("“%(source)s” was merged into “%(target)s”.")
                % {"source": name, "target": creator.display_name},
            )
            return redirect(
                "creator_detail", workspace_slug=request.workspace.slug, creator_id=creator.pk
            )
    query = request.GET.get("q", "").strip()[:100]
    candidates = selectors.merge_candidates(request.workspace, creator, query)
    return render(
        request,
        "creators/creator_merge.html",
        {"creator": creator, "candidates": candidates, "query": query, "section": "creators"},
        status=status,
    )


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def audience_add(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """Enter audience demographics by hand, optionally with the screenshot they come from."""
    creator = selectors.get_creator(request.membership, creator_id)
    is_post = request.method == "POST"
    form = AudienceForm(posted(request), request.FILES if is_post else None, creator=creator)
    if is_post and form.is_valid():
        services.audience_profile_save(profile=form.instance)
        return _back_to_creator(request, creator, _("Audience saved."))
    return _audience_page(request, creator, form=form)


@require_POST
@workspace_member(role=Role.MEMBER)
def audience_sample_add(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """Upload identifiers of an account's audience (for overlap between creators)."""
    creator = selectors.get_creator(request.membership, creator_id)
    sample_form = AudienceSampleForm(request.POST, request.FILES, creator=creator)
    if not sample_form.is_valid():
        return _audience_page(request, creator, sample_form=sample_form)
    data = sample_form.cleaned_data
    sample = services.audience_sample_add(
        account=data["account"], identifiers=data["file"], description=data["description"]
    )
    return _back_to_creator(
        request,
        creator,
        _("%(count)s audience identifiers stored for %(account)s.")
        % {"count": grouped(sample.size), "account": sample.account},
    )


@require_POST
@workspace_member(role=Role.MEMBER)
def comment_sample_add(request: WorkspaceRequest, creator_id: int) -> HttpResponse:
    """Store comment texts of an account's posts (for the generic-comments signal)."""
    creator = selectors.get_creator(request.membership, creator_id)
    comment_form = CommentSampleForm(request.POST, request.FILES, creator=creator)
    if not comment_form.is_valid():
        return _audience_page(request, creator, comment_form=comment_form)
    data = comment_form.cleaned_data
    sample = services.comment_sample_add(
        account=data["account"],
        comments=data["comments"],
        source=data["source"],
        description=data["description"],
    )
    return _back_to_creator(
        request,
        creator,
        _("%(count)s comments stored for %(account)s; its scores read them at the next run.")
        % {"count": grouped(sample.size), "account": sample.account},
    )


def _back_to_creator(request: WorkspaceRequest, creator: Creator, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("creator_detail", workspace_slug=request.workspace.slug, creator_id=creator.pk)


def _audience_page(
    request, creator, *, form=None, sample_form=None, comment_form=None
) -> HttpResponse:
    """The audience page with its three forms, the one that was posted bound to its errors."""
    posted_form = form or sample_form or comment_form
    return render(
        request,
        "creators/audience_form.html",
        {
            "creator": creator,
            "form": form or AudienceForm(creator=creator),
            # How the posted labels were read, beside their errors.
            "readings": share_readings(form) if form is not None else [],
            "sample_form": sample_form or AudienceSampleForm(creator=creator),
            "comment_form": comment_form or CommentSampleForm(creator=creator),
            "samples": selectors.audience_samples(request.workspace, creator),
            "comment_samples": selectors.comment_samples(request.workspace, creator),
            "section": "creators",
        },
        status=422 if posted_form is not None and posted_form.errors else 200,
    )
