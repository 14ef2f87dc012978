"""Creators: the directory (its filters and search), one creator, create and update through
the creator form's rules and creators.services, as the pages do."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.access import workspace_endpoint
from api.pagination import IdCursorPagination
from api.problems import Conflict
from api.serializers import (
    AccountSerializer,
    AccountWriteSerializer,
    CreatorSerializer,
    CreatorWriteSerializer,
    MergeSerializer,
    paginated,
)
from api.views.docs import CURSOR, PAGE_SIZE, documented
from creators import selectors, services
from creators.forms import AccountForm, CreatorForm, DirectoryFilterForm
from creators.models import Creator, DeliverableFormat

READ, WRITE = "creators:read", "creators:write"

DIRECTORY_FILTERS = [
    OpenApiParameter("q", str, description="Search by name, @handle, tag, category or bio."),
    OpenApiParameter("platform", str, description="Creators with an account there."),
    OpenApiParameter("tier", str, description="nano, micro, mid, macro or mega."),
    OpenApiParameter("category", int, description="A category id."),
    OpenApiParameter("region", str),
    OpenApiParameter("classification", str),
    OpenApiParameter("relationship_status", str),
    OpenApiParameter("followers_min", str, description="A count: 12000, 12k, 1.2萬."),
    OpenApiParameter("followers_max", str),
    OpenApiParameter("er_min", float, description="Engagement rate from, in %."),
    OpenApiParameter("er_max", float),
    OpenApiParameter("authenticity_min", int),
    OpenApiParameter("authenticity_max", int),
    OpenApiParameter("price_min", str),
    OpenApiParameter("price_max", str),
    OpenApiParameter("audience_country", str, description="台灣, Japan or TW."),
    OpenApiParameter("audience_country_min", float, description="In %."),
    OpenApiParameter("audience_gender", str),
    OpenApiParameter("audience_gender_min", float),
    OpenApiParameter("audience_age", str),
    OpenApiParameter("audience_age_min", float),
]
# The API pages by id (stable under inserts); the directory's other sorts are the page's.
IGNORED_FILTERS = {"sort"}


def _with_labels(creators):
    """The directory's rows with what the API shows besides (tags and the rate card)."""
    return creators.prefetch_related("tags", "rates")


@documented(
    READ,
    summary="List creators",
    request=None,
    responses=paginated(CreatorSerializer),
    problems=(400, 401, 403, 404, 429),
    parameters=[*DIRECTORY_FILTERS, CURSOR, PAGE_SIZE],
    tags=["creators"],
    operation_id="creators_list",
    method="GET",
)
@documented(
    WRITE,
    summary="Create a creator",
    request=CreatorWriteSerializer,
    responses={201: CreatorSerializer},
    problems=(400, 401, 403, 404, 429),
    tags=["creators"],
    operation_id="creators_create",
    method="POST",
)
@workspace_endpoint({"GET": READ, "POST": WRITE})
def creator_list(request) -> Response:
    if request.method == "POST":
        creator = Creator(workspace=request.workspace, rate_currency=request.workspace.currency)
        saved = _save(request, creator, request.data)
        return Response(_one(request, saved), status=status.HTTP_201_CREATED)
    categories = selectors.workspace_categories(request.workspace)
    form = DirectoryFilterForm(
        request.query_params,
        workspace=request.workspace,
        categories=categories,
        regions=selectors.workspace_regions(request.workspace),
    )
    if not form.is_valid():
        raise ValidationError({k: v for k, v in form.errors.items() if k not in IGNORED_FILTERS})
    creators = _with_labels(selectors.creator_directory(request.workspace, form.filters()))
    paginator = IdCursorPagination()
    page = paginator.paginate_queryset(creators, request)
    context = {"membership": request.membership}
    return paginator.get_paginated_response(
        CreatorSerializer(page, many=True, context=context).data
    )


@documented(
    READ,
    summary="Retrieve a creator",
    responses=CreatorSerializer,
    tags=["creators"],
    operation_id="creators_retrieve",
    method="GET",
)
@documented(
    WRITE,
    summary="Update a creator",
    request=CreatorWriteSerializer(partial=True),
    responses=CreatorSerializer,
    problems=(400, 401, 403, 404, 429),
    tags=["creators"],
    operation_id="creators_update",
    method="PATCH",
)
@workspace_endpoint({"GET": READ, "PATCH": WRITE})
def creator_detail(request, creator_id: int) -> Response:
    creator = selectors.get_creator(request.membership, creator_id)
    if request.method == "PATCH":
        creator = _save(request, creator, request.data)
    return Response(_one(request, creator))


def _one(request, creator: Creator) -> dict[str, Any]:
    fresh = selectors.get_creator(request.membership, creator.pk)
    return CreatorSerializer(fresh, context={"membership": request.membership}).data


def _form_data(creator: Creator) -> dict[str, Any]:
    """The form's data as the creator stands (what an update leaves out keeps its value)."""
    plain = [n for n in CreatorForm.Meta.fields if n not in {"categories", "owner"}]
    data: dict[str, Any] = {name: getattr(creator, name) for name in plain}
    data["owner"] = creator.owner_id
    data["categories"] = [c.pk for c in creator.categories.all()] if creator.pk else []
    data["tags_text"] = ", ".join(t.name for t in creator.tags.all()) if creator.pk else ""
    rates = {r.format: r.price for r in creator.rates.all()} if creator.pk else {}
    for value, _label in DeliverableFormat.choices:
        data[f"rate_{value}"] = rates.get(value)
    return data


# The form's field names as the API spells them.
API_NAMES = {"tags_text": "tags", "profile_followers": "profile_followers"}


def _save(request, creator: Creator, body: Any) -> Creator:
    """Validate as the creator form does (same rules and messages), then save by the service."""
    incoming = CreatorWriteSerializer(data=body, partial=bool(creator.pk))
    incoming.is_valid(raise_exception=True)
    given = dict(incoming.validated_data)
    data = _form_data(creator)
    for name, value in given.items():
        if name == "tags":
            data["tags_text"] = ", ".join(value)
        elif name == "rates":
            for rate_format, price in value.items():
                data[f"rate_{rate_format}"] = price
        elif name == "different_person":
            if value:
                data["different_person"] = "1"
        else:
            data[name] = value
    unknown = set(given.get("rates", {})) - set(DeliverableFormat.values)
    if unknown:
        raise ValidationError({"rates": [f"{sorted(unknown)[0]}: {_unknown_format()}"]})
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = CreatorForm(
        data,
        instance=creator,
        workspace=request.workspace,
        show_contacts=request.membership.can_manage,
    )
    if not form.is_valid():
        errors: dict[str, list[str]] = {}
        for name, messages in form.errors.items():
            key = API_NAMES.get(name, name)
            if name.startswith("rate_"):
                key = f"rates.{name.removeprefix('rate_')}"
            errors[key] = list(messages)
        raise ValidationError(errors)
    saved = services.creator_save(
        creator=form.instance,
        categories=form.cleaned_data["categories"],
        tag_names=form.tag_names(),
        rates=form.rates(),
    )
    if getattr(form, "profile", None) is not None:
        services.account_add(
            creator=saved,
            platform=form.profile.platform,
            handle=form.profile.handle,
            url=form.profile.url,
            platform_id=form.profile.platform_id,
            followers=form.cleaned_data.get("profile_followers"),
        )
    return saved


def _unknown_format() -> str:
    return _("not a deliverable format KOLHub knows.")


@documented(
    WRITE,
    summary="Merge another creator into this one",
    operation_id="creators_merge",
    request=MergeSerializer,
    responses=CreatorSerializer,
    problems=(400, 401, 403, 404, 409, 429),
    tags=["creators"],
)
@workspace_endpoint({"POST": WRITE})
def creator_merge(request, creator_id: int) -> Response:
    """Fold `source` into this creator (accounts, history, rates, labels) and delete it, as the
    profile's merge does; refused (409, nothing changed) if `source` is on a campaign roster."""
    target = selectors.get_creator(request.membership, creator_id)
    incoming = MergeSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        source = selectors.get_creator(request.membership, incoming.validated_data["source"])
    except Http404:
        raise ValidationError({"source": [_("No such creator in this workspace.")]}) from None
    if source.pk == target.pk:
        raise ValidationError({"source": [_("A creator cannot be merged into itself.")]})
    try:
        merged = services.creators_merge(target=target, source=source)
    except services.MergeRefused as refusal:
        raise Conflict(str(refusal), code="merge-refused") from None
    return Response(_one(request, merged))


@documented(
    WRITE,
    summary="Add an account to a creator",
    request=AccountWriteSerializer,
    responses={201: AccountSerializer},
    tags=["creators"],
    operation_id="creators_accounts_create",
)
@workspace_endpoint({"POST": WRITE})
def account_create(request, creator_id: int) -> Response:
    """From a profile URL, or a platform and a handle; refused (400) when the account is on
    the roster already, naming whose it is, as on the profile page."""
    creator = selectors.get_creator(request.membership, creator_id)
    incoming = AccountWriteSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    data = {k: ("" if v is None else v) for k, v in incoming.validated_data.items()}
    form = AccountForm(data, workspace=request.workspace)
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    account = services.account_add(
        creator=creator,
        platform=form.cleaned_data["platform"],
        handle=form.cleaned_data["handle"],
        url=form.cleaned_data.get("url", ""),
        platform_id=form.cleaned_data.get("platform_id", ""),
        followers=form.cleaned_data.get("followers"),
    )
    return Response(AccountSerializer(account).data, status=status.HTTP_201_CREATED)
