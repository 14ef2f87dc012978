"""Drafts: staff upload, the review page (checklist, diff, comments, decisions), media files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import brief_check, selectors, services
from campaigns.caption_diff import caption_diff
from campaigns.forms import DraftForm, ReviewForm
from campaigns.models import DraftMedia, DraftStatus
from campaigns.services.review import AGENCY_DECISIONS, BRAND_DECISIONS
from campaigns.views import campaign_context, form_page
from kolhub.files import file_response
from kolhub.http import posted
from kolhub.models import Membership, Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MEMBER)
def draft_create(request: WorkspaceRequest, deliverable_id: int) -> HttpResponse:
    """Staff upload a draft the creator sent them by other means."""
    deliverable = selectors.get_deliverable(request.membership, deliverable_id)
    form = DraftForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft = services.draft_submit(
            deliverable=deliverable,
            caption=form.cleaned_data["caption"],
            files=form.cleaned_data["files"],
            user=request.user,
        )
        messages.success(request, _("Draft version %(n)s added.") % {"n": draft.version})
        return redirect(draft_url(request, draft.pk))
    return form_page(
        request,
        form,
        title=_("New draft: %(deliverable)s") % {"deliverable": deliverable.get_format_display()},
        intro=_(
            "For a draft the creator sent by email or chat. Creators can also upload through "
            "their portal link. The caption is checked against the brief at once."
        ),
        submit=_("Add draft"),
        cancel_url=reverse(
            "collaboration_detail", args=[request.workspace.slug, deliverable.collaboration_id]
        ),
        campaign=deliverable.collaboration.campaign,
        collaboration=deliverable.collaboration,
    )


def decisions_for(membership: Membership, status: str) -> set[str]:
    """What this reviewer can decide on a draft in this status."""
    if status == DraftStatus.AWAITING_BRAND:
        return set(BRAND_DECISIONS) if membership.is_client else {"comment"}
    if status == DraftStatus.SUBMITTED and not membership.is_client:
        return set(AGENCY_DECISIONS)
    return {"comment"}


@require_GET
@workspace_member()
def draft_detail(request: WorkspaceRequest, draft_id: int) -> HttpResponse:
    draft = selectors.get_draft(request.membership, draft_id)
    return _draft_page(
        request, draft, ReviewForm(decisions=decisions_for(request.membership, draft.status))
    )


def _draft_page(request: WorkspaceRequest, draft, form: ReviewForm, status: int = 200):
    page = selectors.draft_page(draft)
    previous = page["previous"]
    findings = brief_check.findings_from_json(draft.brief_checks)
    context = campaign_context(request, draft.deliverable.collaboration.campaign, "roster")
    context.update(page)
    context.update(
        draft=page["current"],
        deliverable=draft.deliverable,
        collaboration=draft.deliverable.collaboration,
        checks=[(finding, brief_check.describe(finding)) for finding in findings],
        check_summary=brief_check.summary(findings),
        diff=caption_diff(previous.caption, draft.caption) if previous else None,
        form=form,
        decisions=list(form.fields["decision"].choices),
        is_client=request.membership.is_client,
    )
    return render(request, "campaigns/draft_detail.html", context, status=status)


@require_POST
@workspace_member()
def draft_review(request: WorkspaceRequest, draft_id: int) -> HttpResponse:
    draft = selectors.get_draft(request.membership, draft_id)
    form = ReviewForm(request.POST, decisions=decisions_for(request.membership, draft.status))
    if form.is_valid():
        try:
            services.draft_review(
                draft=draft,
                user=request.user,
                decision=form.cleaned_data["decision"],
                body=form.cleaned_data["body"],
            )
        except services.ReviewRefused as refusal:
            form.add_error("body", str(refusal))
        else:
            messages.success(request, _("Review saved."))
            return redirect(draft_url(request, draft.pk))
    return _draft_page(request, draft, form, status=422)


@require_GET
@workspace_member()
def draft_media(request: WorkspaceRequest, media_id: int) -> FileResponse:
    """A draft's photo or video, to members who may see its campaign."""
    try:
        media = DraftMedia.objects.for_workspace(request.workspace).get(
            pk=media_id,
            draft__deliverable__collaboration__campaign__in=selectors.visible_campaigns(
                request.membership
            ),
        )
    except DraftMedia.DoesNotExist:
        raise Http404 from None
    return media_response(media, download="download" in request.GET)


def media_response(media: DraftMedia, *, download: bool = False) -> FileResponse:
    return file_response(
        media.file, name=media.name, content_type=media.content_type, download=download
    )


def draft_url(request: WorkspaceRequest, draft_id: int) -> str:
    return reverse("draft_detail", args=[request.workspace.slug, draft_id])
