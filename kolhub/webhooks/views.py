"""Settings → Webhooks: owners manage the endpoints, managers read them and their logs."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from kolhub.http import posted
from kolhub.models import OutgoingWebhookEndpoint, Role
from kolhub.tenancy import WorkspaceRequest, workspace_member
from kolhub.webhooks import delivery, selectors, services
from kolhub.webhooks.events import EVENTS
from kolhub.webhooks.forms import MAX_ENDPOINTS, EndpointForm

LOG_PAGE_SIZE = 25
JUST_CREATED_KEY = "webhook_just_created"


def _to_detail(request: WorkspaceRequest, endpoint: OutgoingWebhookEndpoint) -> HttpResponse:
    return redirect("webhook_endpoint_detail", request.workspace.slug, endpoint.pk)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def webhook_list(request: WorkspaceRequest) -> HttpResponse:
    is_owner = request.membership.has_role(Role.OWNER)
    endpoints = list(selectors.endpoints(request.workspace))
    form = EndpointForm(posted(request) if is_owner else None)
    if request.method == "POST":
        if not is_owner:
            return HttpResponse(status=403)
        if len(endpoints) >= MAX_ENDPOINTS:
            form.add_error(
                None,
                _("A workspace can have at most %(count)s endpoints; delete one first.")
                % {"count": MAX_ENDPOINTS},
            )
        elif form.is_valid():
            endpoint = services.endpoint_create(
                workspace=request.workspace,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"],
                user=request.user,
            )
            # The secret is shown on the next page once; owners can reveal it again later.
            request.session[JUST_CREATED_KEY] = endpoint.pk
            messages.success(request, _("Endpoint added. Copy its signing secret now."))
            return _to_detail(request, endpoint)
    return render(
        request,
        "kolhub/webhooks/list.html",
        {"tab": "webhooks", "endpoints": endpoints, "form": form, "is_owner": is_owner},
        status=422 if form.errors else 200,
    )


@never_cache
@require_GET
@vary_on_headers("HX-Request")
@workspace_member(role=Role.MANAGER)
def webhook_endpoint_detail(request: WorkspaceRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    is_owner = request.membership.has_role(Role.OWNER)
    page = Paginator(selectors.endpoint_log(endpoint), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    show_secret = is_owner and request.session.pop(JUST_CREATED_KEY, None) == endpoint.pk
    context = {
        "tab": "webhooks",
        "endpoint": endpoint,
        "events": [(name, EVENTS[name]) for name in endpoint.event_types if name in EVENTS],
        "page": page,
        "rows": [
            (attempt, delivery.error_sentence(attempt.error_code) if attempt.error_code else "")
            for attempt in page
        ],
        "is_owner": is_owner,
        "secret": endpoint.secret if show_secret else "",
    }
    template = "kolhub/webhooks/detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#log"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.OWNER)
def webhook_endpoint_edit(request: WorkspaceRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    initial = {
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "description": endpoint.description,
    }
    form = EndpointForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.endpoint_update(
            endpoint=endpoint,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("Endpoint saved."))
        return _to_detail(request, endpoint)
    return render(
        request,
        "kolhub/webhooks/form.html",
        {"tab": "webhooks", "endpoint": endpoint, "form": form},
        status=422 if form.errors else 200,
    )


@require_POST
@workspace_member(role=Role.OWNER)
def webhook_endpoint_enabled(request: WorkspaceRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    # The wanted state, not a toggle: a double submit must not undo itself.
    wanted = request.POST.get("enabled")
    if wanted not in ("0", "1"):
        messages.error(request, _("Say whether the endpoint should be enabled."))
        return _to_detail(request, endpoint)
    services.endpoint_set_enabled(endpoint=endpoint, enabled=wanted == "1")
    messages.success(
        request, _("Endpoint enabled.") if endpoint.enabled else _("Endpoint disabled.")
    )
    return _to_detail(request, endpoint)


@require_POST
@workspace_member(role=Role.OWNER)
def webhook_endpoint_delete(request: WorkspaceRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, _("Endpoint deleted with its delivery log."))
    return redirect("webhook_list", request.workspace.slug)


@require_POST
@workspace_member(role=Role.OWNER)
def webhook_endpoint_test(request: WorkspaceRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    if not endpoint.enabled:
        messages.error(request, _("Enable the endpoint before sending it a test event."))
        return _to_detail(request, endpoint)
    services.endpoint_send_test(endpoint=endpoint)
    messages.success(request, _("Test event sent; its attempt is at the top of the log."))
    return _to_detail(request, endpoint)


@never_cache
@require_GET
@vary_on_headers("HX-Request")
@workspace_member(role=Role.OWNER)
def webhook_endpoint_secret(request: WorkspaceRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    template = "kolhub/webhooks/secret.html"
    if request.htmx and not request.htmx.boosted:
        template += "#secret"
    return render(
        request, template, {"tab": "webhooks", "endpoint": endpoint, "secret": endpoint.secret}
    )


@require_POST
@workspace_member(role=Role.OWNER)
def webhook_message_resend(
    request: WorkspaceRequest, endpoint_id: int, message_id: int
) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.membership, endpoint_id)
    message = selectors.endpoint_message(endpoint, message_id)
    if not endpoint.enabled:
        messages.error(request, _("Enable the endpoint before sending a message again."))
        return _to_detail(request, endpoint)
    services.message_resend(endpoint=endpoint, message=message)
    messages.success(request, _("Message sent again with the same webhook-id."))
    return _to_detail(request, endpoint)
