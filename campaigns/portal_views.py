"""The creator portal: no account, one private link per collaboration, in the creator's language.

Every view starts from the token (never an id alone): ids in these URLs are looked up inside
the token's collaboration, so a link opens nothing but its own collaboration.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns import selectors, services
from campaigns.forms import DraftForm, InsightsForm, LivePostForm
from campaigns.models import (
    BriefAsset,
    Decision,
    Deliverable,
    DeliverableStatus,
    DocumentKind,
    DraftMedia,
    Payee,
    PayeeSource,
    PortalLink,
    ReviewComment,
)
from campaigns.payee_forms import PayeeForm
from campaigns.portal_access import portal_view
from campaigns.portal_payments import payments_summary
from campaigns.review_views import media_response
from campaigns.signing.forms import SignForm
from campaigns.signing.portal import contract_card, sign_as_creator
from campaigns.signing.selectors import portal_document
from kolhub.files import file_response


def portal_deliverable(link: PortalLink, deliverable_id: int) -> Deliverable:
    """A deliverable of the link's collaboration, or 404."""
    try:
        return Deliverable.objects.select_related("collaboration__campaign").get(
            pk=deliverable_id, collaboration_id=link.collaboration_id
        )
    except Deliverable.DoesNotExist:
        raise Http404 from None


def portal_context(link: PortalLink, bound: dict[tuple[str, int], Any] | None = None) -> dict:
    """The portal page: brief, deadlines, shipments, and each deliverable with its forms."""
    bound = bound or {}
    collaboration = link.collaboration
    page = selectors.collaboration_page(collaboration)
    notes = {
        comment.draft_id: comment
        for comment in ReviewComment.objects.filter(
            draft__deliverable__collaboration=collaboration,
            decision__in=[Decision.CHANGES, Decision.BRAND_CHANGES],
        ).order_by("created_at")
    }
    items = []
    for deliverable in page["deliverables"]:
        drafts = list(deliverable.drafts.all())
        items.append(
            {
                "deliverable": deliverable,
                "drafts": drafts,
                "notes": [notes[d.pk] for d in drafts if d.pk in notes],
                "draft_form": bound.get(("draft", deliverable.pk)) or DraftForm(),
                "post_form": bound.get(("post", deliverable.pk))
                or LivePostForm(initial={"url": deliverable.live_url}, deliverable=deliverable),
                "insights_form": bound.get(("insights", deliverable.pk)) or InsightsForm(),
            }
        )
    brief = collaboration.brief_sent or services.latest_brief(collaboration.campaign)
    payee = Payee.objects.filter(collaboration=collaboration).first()
    return {
        "contract_card": contract_card(link, bound.get(("contract", 0))),
        "payee": payee,
        "payments": payments_summary(collaboration, payee),
        "payee_form": bound.get(("payee", 0)) or PayeeForm(instance=payee),
        "link": link,
        "collaboration": collaboration,
        "campaign": collaboration.campaign,
        "brief": brief,
        "brief_assets": list(brief.assets.all()) if brief else [],
        "items": items,
        "shipments": page["shipments"],
        "awaiting_receipt": any(s.shipped_on and not s.received_on for s in page["shipments"]),
    }


@require_GET
@portal_view
def portal_home(request: HttpRequest, link: PortalLink) -> HttpResponse:
    services.portal_visit(link=link)
    return render(request, "campaigns/portal/home.html", portal_context(link))


@require_POST
@portal_view
def portal_received(request: HttpRequest, link: PortalLink) -> HttpResponse:
    services.product_received_confirm(collaboration=link.collaboration, by_creator=True)
    messages.success(request, _("Thank you! We noted that the product arrived."))
    return redirect(home_url(link))


@require_POST
@portal_view
def portal_draft(request: HttpRequest, link: PortalLink, deliverable_id: int) -> HttpResponse:
    deliverable = portal_deliverable(link, deliverable_id)
    form = DraftForm(request.POST, request.FILES)
    if not deliverable.is_open or deliverable.status == DeliverableStatus.APPROVED:
        form.add_error(None, _("This deliverable is not waiting for a draft."))
    if form.is_valid():
        draft = services.draft_submit(
            deliverable=deliverable,
            caption=form.cleaned_data["caption"],
            files=form.cleaned_data["files"],
            by_creator=True,
        )
        messages.success(
            request, _("Draft version %(n)s sent for review. Thank you!") % {"n": draft.version}
        )
        return redirect(home_url(link) + f"#deliverable-{deliverable.pk}")
    return _rerender(request, link, ("draft", deliverable.pk), form)


@require_POST
@portal_view
def portal_post(request: HttpRequest, link: PortalLink, deliverable_id: int) -> HttpResponse:
    deliverable = portal_deliverable(link, deliverable_id)
    form = LivePostForm(request.POST, deliverable=deliverable)
    if deliverable.status not in (DeliverableStatus.APPROVED, DeliverableStatus.PUBLISHED):
        form.add_error(None, _("Please wait until your draft is approved before posting."))
    if form.is_valid():
        services.live_post_submit(
            deliverable=deliverable, url=form.cleaned_data["url"], by_creator=True
        )
        messages.success(request, _("Thank you! We have the link to your post."))
        return redirect(home_url(link) + f"#deliverable-{deliverable.pk}")
    return _rerender(request, link, ("post", deliverable.pk), form)


@require_POST
@portal_view
def portal_insights(request: HttpRequest, link: PortalLink, deliverable_id: int) -> HttpResponse:
    deliverable = portal_deliverable(link, deliverable_id)
    form = InsightsForm(request.POST, request.FILES)
    if deliverable.status != DeliverableStatus.PUBLISHED:
        form.add_error(None, _("Insights can be sent once the post is live."))
    if form.is_valid():
        services.insights_submit(
            deliverable=deliverable,
            figures=form.figures(),
            screenshot=form.cleaned_data.get("screenshot"),
            by_creator=True,
        )
        messages.success(request, _("Thank you! Your insights were received."))
        return redirect(home_url(link) + f"#deliverable-{deliverable.pk}")
    return _rerender(request, link, ("insights", deliverable.pk), form)


@require_POST
@portal_view
def portal_payee(request: HttpRequest, link: PortalLink) -> HttpResponse:
    payee = Payee.objects.filter(collaboration_id=link.collaboration_id).first()
    form = PayeeForm(request.POST, request.FILES, instance=payee)
    if form.is_valid():
        services.payee_save(
            collaboration=link.collaboration, data=form.cleaned_data, via=PayeeSource.PORTAL
        )
        messages.success(request, _("Thank you! Your payment details were saved."))
        return redirect(home_url(link) + "#payment")
    return _rerender(request, link, ("payee", 0), form)


@require_POST
@portal_view
def portal_contract_sign(request: HttpRequest, link: PortalLink, document_id: int) -> HttpResponse:
    document = portal_document(link, document_id)
    if document.kind != DocumentKind.CONTRACT:
        raise Http404
    form = SignForm(request.POST)
    if sign_as_creator(request, link, document, form):
        messages.success(request, _("Thank you! You signed the contract."))
        return redirect(home_url(link) + "#contract")
    return _rerender(request, link, ("contract", 0), form)


def _rerender(request: HttpRequest, link: PortalLink, key: tuple[str, int], form) -> HttpResponse:
    return render(
        request, "campaigns/portal/home.html", portal_context(link, {key: form}), status=422
    )


@require_GET
@portal_view
def portal_media(request: HttpRequest, link: PortalLink, media_id: int) -> FileResponse:
    """A file of one of the collaboration's drafts: the creator sees what they sent."""
    try:
        media = DraftMedia.objects.get(
            pk=media_id, draft__deliverable__collaboration_id=link.collaboration_id
        )
    except DraftMedia.DoesNotExist:
        raise Http404 from None
    return media_response(media)


@require_GET
@portal_view
def portal_brief_asset(request: HttpRequest, link: PortalLink, asset_id: int) -> FileResponse:
    """A reference file of the brief the creator was given."""
    collaboration = link.collaboration
    brief = collaboration.brief_sent or services.latest_brief(collaboration.campaign)
    try:
        asset = BriefAsset.objects.get(pk=asset_id, versions=brief)
    except BriefAsset.DoesNotExist:
        raise Http404 from None
    return file_response(asset.file, name=asset.name, content_type=asset.content_type)


def home_url(link: PortalLink) -> str:
    return reverse("portal_home", args=[link.token])
