"""Reads of the outgoing webhooks, workspace first."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kolhub.models import Membership, OutgoingWebhookAttempt, OutgoingWebhookEndpoint, Workspace


def endpoints(workspace: Workspace) -> QuerySet[OutgoingWebhookEndpoint]:
    return OutgoingWebhookEndpoint.objects.for_workspace(workspace).order_by("created_at", "pk")


def get_endpoint(membership: Membership, pk: int) -> OutgoingWebhookEndpoint:
    """The workspace's endpoint, or 404 (also for another workspace's)."""
    endpoint = endpoints(membership.workspace).filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    return endpoint


def endpoint_log(endpoint: OutgoingWebhookEndpoint) -> QuerySet[OutgoingWebhookAttempt]:
    """The endpoint's attempts, newest first, with their messages (one query per page)."""
    return (
        OutgoingWebhookAttempt.objects.for_workspace(endpoint.workspace)
        .filter(endpoint=endpoint)
        .select_related("message")
        .order_by("-created_at", "-pk")
    )


def endpoint_message(endpoint: OutgoingWebhookEndpoint, message_pk: int):
    """A message this endpoint was sent, or 404."""
    attempt = endpoint_log(endpoint).filter(message_id=message_pk).first()
    if attempt is None:
        raise Http404
    return attempt.message
