"""What happened: a post's counters over time, a collaboration's tracked links with their
clicks, and the orders the shops reported (read only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.access import workspace_endpoint
from api.pagination import IdCursorPagination, SeriesCursorPagination
from api.selectors import get_post, post_snapshots, workspace_conversions
from api.serializers import (
    ConversionSerializer,
    SnapshotSerializer,
    TrackedLinkSerializer,
    paginated,
)
from api.views.docs import CURSOR, PAGE_SIZE, documented
from campaigns.selectors import get_collaboration
from kolhub.http import MAX_ID
from tracking.sales.selectors import collaboration_links

READ, RESULTS = "campaigns:read", "results:read"


@documented(
    READ,
    summary="A post's counters over time",
    operation_id="posts_snapshots",
    responses=paginated(SnapshotSerializer),
    parameters=[CURSOR, PAGE_SIZE],
    tags=["posts"],
)
@workspace_endpoint({"GET": READ})
def post_snapshots_list(request, post_id: int) -> Response:
    """One row per hour a pull (or a person) captured the counters, oldest first."""
    post = get_post(request.membership, post_id)
    paginator = SeriesCursorPagination()
    page = paginator.paginate_queryset(post_snapshots(post), request)
    return paginator.get_paginated_response(SnapshotSerializer(page, many=True).data)


@documented(
    READ,
    summary="A collaboration's tracked links with their clicks",
    operation_id="links_list",
    responses=paginated(TrackedLinkSerializer),
    parameters=[CURSOR, PAGE_SIZE],
    tags=["links"],
)
@workspace_endpoint({"GET": READ})
def link_list(request, collaboration_id: int) -> Response:
    collaboration = get_collaboration(request.membership, collaboration_id)
    paginator = IdCursorPagination()
    page = paginator.paginate_queryset(collaboration_links(collaboration), request)
    return paginator.get_paginated_response(TrackedLinkSerializer(page, many=True).data)


ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@documented(
    RESULTS,
    summary="Orders reported by the shops (attributed or not)",
    operation_id="conversions_list",
    responses=paginated(ConversionSerializer),
    parameters=[
        OpenApiParameter("campaign", ID, description="Only orders attributed to this campaign."),
        OpenApiParameter("collaboration", ID, description="Only this collaboration's."),
        CURSOR,
        PAGE_SIZE,
    ],
    problems=(400, 401, 403, 404, 429),
    tags=["conversions"],
)
@workspace_endpoint({"GET": RESULTS})
def conversion_list(request) -> Response:
    filters = {}
    for name in ("campaign", "collaboration"):
        if value := request.query_params.get(name):
            if not value.isdigit() or not 0 < int(value) <= MAX_ID:
                raise ValidationError({name: [_("Enter an id.")]})
            filters[name] = int(value)
    paginator = IdCursorPagination()
    rows = workspace_conversions(request.membership, filters)
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(ConversionSerializer(page, many=True).data)
