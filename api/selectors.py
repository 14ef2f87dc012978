"""Reads of the API app: a workspace's tokens, and the token a request presents."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from api.models import TOKEN_PREFIX, ApiToken
from api.services import token_hash
from campaigns.models import Campaign, Collaboration
from kolhub.models import Workspace
from kolhub.tenancy import Scope, scope_workspace

# token_urlsafe(32) is 43 characters; anything much longer is no token of ours.
MAX_TOKEN_LENGTH = 100


def workspace_api_tokens(workspace: Workspace) -> QuerySet[ApiToken]:
    """The workspace's tokens, newest first, with who created them."""
    return ApiToken.objects.for_workspace(workspace).select_related("created_by")


def get_api_token(scope: Scope, pk: int) -> ApiToken:
    """A token of the scope's workspace, or 404."""
    return get_object_or_404(ApiToken.objects.for_workspace(scope_workspace(scope)), pk=pk)


def api_token_by_secret_unscoped(plain: str) -> ApiToken | None:
    """The token with this secret, whatever its workspace (the secret is the credential)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > MAX_TOKEN_LENGTH:
        return None
    return (
        ApiToken.objects.select_related("workspace", "created_by")
        .filter(secret_hash=token_hash(plain))
        .first()
    )


def campaign_collaborations(campaign: Campaign) -> QuerySet[Collaboration]:
    """The campaign's roster, creators loaded (the caller has checked access to the campaign)."""
    return (
        Collaboration.objects.for_workspace(campaign.workspace)
        .filter(campaign=campaign)
        .select_related("creator")
    )
