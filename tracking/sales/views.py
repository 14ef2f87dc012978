"""Pages of sales: tracked links and promo codes of a collaboration, the sales feeds page."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors as campaign_selectors
from campaigns import services as campaign_services
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member
from tracking.sales import conversions, selectors, services
from tracking.sales.forms import PromoCodeForm, SalesFeedForm, TrackedLinkForm

# Tracked links --------------------------------------------------------------------------------


def _links_fragment(
    request: WorkspaceRequest,
    collaboration,
    form: TrackedLinkForm | None = None,
    promo_form: PromoCodeForm | None = None,
) -> HttpResponse:
    """The collaboration's tracked links and promo codes, with the forms to add them."""
    can_edit = request.membership.has_role(Role.MEMBER)
    if can_edit:
        form = form or TrackedLinkForm(
            collaboration=collaboration, initial=services.utm_defaults(collaboration, None)
        )
        promo_form = promo_form or PromoCodeForm(initial=_suggested_code(collaboration))
    links = list(selectors.collaboration_links(collaboration))
    context = {
        "collaboration": collaboration,
        "links": links,
        "codes": selectors.collaboration_promo_codes(collaboration),
        "code_sales": selectors.promo_code_sales(collaboration),
        "form": form,
        "promo_form": promo_form,
        "can_edit": can_edit,
    }
    failed = any(f is not None and f.errors for f in (form, promo_form))
    return render(request, "tracking/_links.html", context, status=422 if failed else 200)


def _suggested_code(collaboration) -> dict:
    """A first code from the brief's pattern; none once the collaboration has one."""
    if collaboration.promo_codes.exists():
        return {}
    brief = collaboration.brief_sent or campaign_services.latest_brief(collaboration.campaign)
    pattern = brief.promo_code if brief else ""
    return {"code": conversions.promo_code_suggestion(collaboration, pattern)}


@require_GET
@workspace_member()
def collaboration_links(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = campaign_selectors.get_collaboration(request.membership, collaboration_id)
    return _links_fragment(request, collaboration)


@require_POST
@workspace_member(role=Role.MEMBER)
def tracked_link_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = campaign_selectors.get_collaboration(request.membership, collaboration_id)
    form = TrackedLinkForm(request.POST, collaboration=collaboration)
    if not form.is_valid():
        return _links_fragment(request, collaboration, form)
    services.tracked_link_create(
        collaboration=collaboration, user=request.user, **form.cleaned_data
    )
    return _links_fragment(request, collaboration)


@require_POST
@workspace_member(role=Role.MEMBER)
def tracked_link_deactivate(request: WorkspaceRequest, link_id: int) -> HttpResponse:
    link = selectors.get_link(request.membership, link_id)
    services.tracked_link_deactivate(link=link)
    return _links_fragment(request, link.collaboration)


@require_GET
@workspace_member()
def tracked_link_qr(request: WorkspaceRequest, link_id: int, image_format: str) -> HttpResponse:
    """The short URL as a QR code, for print and packaging (SVG scales, PNG pastes anywhere)."""
    if image_format not in ("svg", "png"):
        raise Http404
    link = selectors.get_link(request.membership, link_id)
    code = segno.make(settings.SITE_URL + reverse("tracked_redirect", args=[link.code]), error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind=image_format, scale=10, border=2)
    content_type = "image/svg+xml" if image_format == "svg" else "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kolhub-{link.code}.{image_format}"'
    return response


# Promo codes ----------------------------------------------------------------------------------


@require_POST
@workspace_member(role=Role.MEMBER)
def promo_code_create(request: WorkspaceRequest, collaboration_id: int) -> HttpResponse:
    collaboration = campaign_selectors.get_collaboration(request.membership, collaboration_id)
    form = PromoCodeForm(request.POST)
    if form.is_valid():
        try:
            conversions.promo_code_add(collaboration=collaboration, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
    return _links_fragment(request, collaboration, promo_form=form if form.errors else None)


# Sales feeds and conversions ------------------------------------------------------------------


def _sales_page(request: WorkspaceRequest, form: SalesFeedForm, created=None) -> HttpResponse:
    context = {
        "tab": "sales",
        "form": form,
        "created": created,
        "site_url": settings.SITE_URL,
        **selectors.sales_overview(request.workspace),
    }
    return render(request, "tracking/sales.html", context, status=422 if form.errors else 200)


@require_GET
@workspace_member(role=Role.MANAGER)
def sales(request: WorkspaceRequest) -> HttpResponse:
    return _sales_page(request, SalesFeedForm())


@require_POST
@workspace_member(role=Role.MANAGER)
def sales_feed_create(request: WorkspaceRequest) -> HttpResponse:
    form = SalesFeedForm(request.POST)
    if not form.is_valid():
        return _sales_page(request, form)
    feed = conversions.sales_feed_create(
        workspace_id=request.workspace.pk,
        channel=form.cleaned_data["channel"],
        label=form.cleaned_data["label"],
        secret=form.cleaned_data["secret"],
        attribution_days=form.cleaned_data["attribution_days"],
    )
    # The one time a generated secret is shown: it goes into the shop's settings now.
    return _sales_page(request, SalesFeedForm(), created=feed)
