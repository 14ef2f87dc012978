"""Settings → API: owners and managers create, see and revoke the workspace's tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import ApiTokenForm
from kolhub.http import posted
from kolhub.models import Role
from kolhub.tenancy import WorkspaceRequest, workspace_member


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def api_tokens(request: WorkspaceRequest) -> HttpResponse:
    form = ApiTokenForm(posted(request))
    created = plain = None
    if request.method == "POST" and form.is_valid():
        created, plain = services.api_token_create(
            workspace=request.workspace,
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
        )
        # Rendered, not redirected: the secret is on this one page and nowhere else.
        form = ApiTokenForm()
    context = {
        "tab": "api",
        "form": form,
        "tokens": selectors.workspace_api_tokens(request.workspace),
        "created": created,
        "plain": plain,
        "api_base": request.build_absolute_uri(f"/api/v1/w/{request.workspace.slug}/"),
    }
    status = 422 if form.errors else 200
    response = render(request, "api/settings_api.html", context, status=status)
    if plain:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@workspace_member(role=Role.MANAGER)
def api_token_revoke(request: WorkspaceRequest, token_id: int) -> HttpResponse:
    token = selectors.get_api_token(request.workspace, token_id)
    services.api_token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("settings_api", workspace_slug=request.workspace.slug)
