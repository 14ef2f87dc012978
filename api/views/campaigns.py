"""Campaigns, their rosters (adding creators, moving stages through the state machine with its
refusals), posts with their latest counters, and results: all through campaigns' and
tracking's selectors and services."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.access import workspace_endpoint
from api.pagination import IdCursorPagination
from api.problems import Conflict
from api.selectors import campaign_collaborations, collaboration_deliverables
from api.serializers import (
    CampaignSerializer,
    CollaborationSerializer,
    DeliverableSerializer,
    PostSerializer,
    RosterAddSerializer,
    StageMoveSerializer,
    paginated,
)
from api.views.docs import CURSOR, PAGE_SIZE, documented
from campaigns import selectors, services
from campaigns.models import CampaignStatus
from creators.selectors import get_creator
from kolhub.http import MAX_ID
from tracking.ingest.selectors import campaign_posts
from tracking.results.figures import campaign_report_now

READ, WRITE, RESULTS = "campaigns:read", "campaigns:write", "results:read"
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _paginated(request, rows, serializer_class):
    paginator = IdCursorPagination()
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


@documented(
    READ,
    summary="List campaigns",
    operation_id="campaigns_list",
    responses=paginated(CampaignSerializer),
    problems=(400, 401, 403, 404, 429),
    parameters=[
        OpenApiParameter("brand", ID, description="A brand id."),
        OpenApiParameter("status", str, enum=CampaignStatus.values),
        CURSOR,
        PAGE_SIZE,
    ],
    tags=["campaigns"],
)
@workspace_endpoint({"GET": READ})
def campaign_list(request) -> Response:
    filters = {}
    if brand := request.query_params.get("brand"):
        if not brand.isdigit() or not 0 < int(brand) <= MAX_ID:
            raise ValidationError({"brand": [_("Enter a brand id.")]})
        filters["brand"] = int(brand)
    if state := request.query_params.get("status"):
        if state not in CampaignStatus.values:
            raise ValidationError({"status": [_("Not a campaign status.")]})
        filters["status"] = state
    return _paginated(
        request, selectors.campaign_list(request.membership, filters), CampaignSerializer
    )


@documented(
    READ,
    summary="Retrieve a campaign",
    operation_id="campaigns_retrieve",
    responses=CampaignSerializer,
    tags=["campaigns"],
)
@workspace_endpoint({"GET": READ})
def campaign_detail(request, campaign_id: int) -> Response:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    counted = selectors.campaign_list(request.membership, {}).get(pk=campaign.pk)
    return Response(CampaignSerializer(counted).data)


@documented(
    READ,
    summary="List a campaign's collaborations",
    responses=paginated(CollaborationSerializer),
    parameters=[
        OpenApiParameter("stage", str, description="Only this stage."),
        CURSOR,
        PAGE_SIZE,
    ],
    tags=["collaborations"],
    operation_id="collaborations_list",
    method="GET",
)
@documented(
    WRITE,
    summary="Add a creator to a campaign's roster (as shortlisted)",
    request=RosterAddSerializer,
    responses={201: CollaborationSerializer, 200: CollaborationSerializer},
    problems=(400, 401, 403, 404, 429),
    tags=["collaborations"],
    operation_id="collaborations_create",
    method="POST",
)
@workspace_endpoint({"GET": READ, "POST": WRITE})
def collaboration_list(request, campaign_id: int) -> Response:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    rows = campaign_collaborations(campaign)
    if request.method == "POST":
        incoming = RosterAddSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            creator = get_creator(request.workspace, incoming.validated_data["creator"])
        except Http404:
            raise ValidationError({"creator": [_("No such creator in this workspace.")]}) from None
        added, _present = services.collaborations_add(
            campaign=campaign, creators=[creator], user=request.actor
        )
        collaboration = rows.get(creator=creator)
        code = status.HTTP_201_CREATED if added else status.HTTP_200_OK
        return Response(CollaborationSerializer(collaboration).data, status=code)
    if stage := request.query_params.get("stage"):
        rows = rows.filter(stage=stage)
    return _paginated(request, rows, CollaborationSerializer)


@documented(
    READ,
    summary="Retrieve a collaboration",
    operation_id="collaborations_retrieve",
    responses=CollaborationSerializer,
    tags=["collaborations"],
)
@workspace_endpoint({"GET": READ})
def collaboration_detail(request, collaboration_id: int) -> Response:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    return Response(CollaborationSerializer(collaboration).data)


@documented(
    WRITE,
    summary="Move a collaboration to another stage",
    operation_id="collaborations_move",
    request=StageMoveSerializer,
    responses=CollaborationSerializer,
    problems=(400, 401, 403, 404, 409, 429),
    tags=["collaborations"],
)
@workspace_endpoint({"POST": WRITE})
def collaboration_stage(request, collaboration_id: int) -> Response:
    """The board's move: the same state machine, events and refusals (409 with the reason)."""
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    incoming = StageMoveSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        moved = services.collaboration_move(
            collaboration=collaboration,
            target=incoming.validated_data["stage"],
            user=request.actor,
            note=incoming.validated_data["note"],
        )
    except services.StageRefused as refusal:
        raise Conflict(str(refusal), code="stage-refused") from None
    return Response(CollaborationSerializer(moved).data)


@documented(
    READ,
    summary="List a campaign's posts with their latest counters",
    operation_id="posts_list",
    responses=paginated(PostSerializer),
    parameters=[CURSOR, PAGE_SIZE],
    tags=["posts"],
)
@workspace_endpoint({"GET": READ})
def post_list(request, campaign_id: int) -> Response:
    campaign = selectors.get_campaign(request.membership, campaign_id)
    return _paginated(request, campaign_posts(campaign), PostSerializer)


@documented(
    RESULTS,
    summary="A campaign's results",
    operation_id="campaigns_results",
    responses=OpenApiTypes.OBJECT,
    tags=["results"],
)
@workspace_endpoint({"GET": RESULTS})
def campaign_results(request, campaign_id: int) -> Response:
    """The figures `manage.py campaign_report --format json` prints, in the same shape: a
    closed campaign's final report as stored, any other's computed now (`final_at`)."""
    campaign = selectors.get_campaign(request.membership, campaign_id)
    return Response(campaign_report_now(campaign))


@documented(
    READ,
    summary="A collaboration's deliverables with their drafts",
    operation_id="deliverables_list",
    responses=paginated(DeliverableSerializer),
    parameters=[CURSOR, PAGE_SIZE],
    tags=["collaborations"],
)
@workspace_endpoint({"GET": READ})
def deliverable_list(request, collaboration_id: int) -> Response:
    collaboration = selectors.get_collaboration(request.membership, collaboration_id)
    return _paginated(request, collaboration_deliverables(collaboration), DeliverableSerializer)
