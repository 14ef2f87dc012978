"""The roster's selectors: reads for the pages, `workspace` first, always; and the access
helpers, which take a scope (a membership or a workspace) first and answer 404 for any row that
is not the scope's."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.shortcuts import get_object_or_404

from creators.categories import category_names_resolve
from creators.export import DirectoryRows, ExportAccount
from creators.models import (
    AccountSnapshot,
    AudienceProfile,
    AudienceSample,
    Category,
    CommentSample,
    Creator,
    CreatorImport,
    DirectoryExport,
    Shortlist,
    SocialAccount,
)
from kolhub.folding import fold_for_search
from kolhub.models import Membership, Workspace
from kolhub.tenancy import Scope, scope_workspace

REGIONS_CACHE_SECONDS = 300
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("display_name", "pk"),
    "-followers": ("-total_followers", "pk"),
    "followers": ("total_followers", "pk"),
    # Scores not computed yet (NULL) sort last, not first as PostgreSQL would put them.
    "-er": (F("engagement_rate").desc(nulls_last=True), "pk"),
    "-authenticity": (F("authenticity_score").desc(nulls_last=True), "pk"),
    "-vs_tier": (F("engagement_vs_tier").desc(nulls_last=True), "pk"),
    "stability": (F("engagement_stability").asc(nulls_last=True), "pk"),
    "red_flags": (F("red_flags").asc(nulls_last=True), "-authenticity_score", "pk"),
    "-sponsored": (F("sponsored_vs_organic").desc(nulls_last=True), "pk"),
    "price": ("min_price", "pk"),
    "-updated": ("-updated_at", "pk"),
}
RANGES = {
    # filter name -> (column, lookup)
    "followers_min": ("total_followers", "gte"),
    "followers_max": ("total_followers", "lte"),
    "er_min": ("engagement_rate", "gte"),
    "er_max": ("engagement_rate", "lte"),
    "authenticity_min": ("authenticity_score", "gte"),
    "authenticity_max": ("authenticity_score", "lte"),
    "vs_tier_min": ("engagement_vs_tier", "gte"),
    "stability_max": ("engagement_stability", "lte"),
    "red_flags_max": ("red_flags", "lte"),
    "sponsored_min": ("sponsored_vs_organic", "gte"),
    "price_min": ("min_price", "gte"),
    "price_max": ("min_price", "lte"),
}

Creators = TypeVar("Creators", bound=QuerySet[Creator])
# Audience filter -> (the audience profile's dimension, the filter naming its smallest share).
AUDIENCE_FILTERS = {
    "audience_country": ("countries", "audience_country_min"),
    "audience_gender": ("gender", "audience_gender_min"),
    "audience_age": ("age", "audience_age_min"),
}


def creator_directory(workspace: Workspace, filters: dict[str, Any]) -> QuerySet[Creator]:
    """Creators matching the directory's search and filters, sorted, accounts prefetched."""
    creators = Creator.objects.for_workspace(workspace)
    if query := filters.get("q"):
        # search_text is stored folded (case, full-width, Simplified/Traditional): a plain
        # LIKE of the folded words, which a trigram index can serve.
        for word in fold_for_search(query).split()[:5]:
            creators = creators.filter(search_text__contains=word.lstrip("@"))
    platform, tier = filters.get("platform"), filters.get("tier")
    if platform:
        # With a platform, the tier is that of the creator's account there.
        accounts = SocialAccount.objects.filter(creator=OuterRef("pk"), platform=platform)
        if tier:
            accounts = accounts.filter(tier=tier)
        creators = creators.filter(Exists(accounts))
    elif tier:
        creators = creators.filter(top_tier=tier)
    if category := filters.get("category"):
        creators = creators.filter(
            Exists(
                Creator.categories.through.objects.filter(creator=OuterRef("pk"), category=category)
            )
        )
    for name in ("region", "classification", "relationship_status"):
        if value := filters.get(name):
            creators = creators.filter(**{name: value})
    creators = _with_audience(creators, filters, platform)
    for name, (column, lookup) in RANGES.items():
        if filters.get(name) is not None:
            creators = creators.filter(**{f"{column}__{lookup}": filters[name]})
    order = SORTS.get(filters.get("sort") or "", SORTS["-followers"])
    return creators.order_by(*order).prefetch_related(
        Prefetch("accounts", queryset=SocialAccount.objects.order_by("-followers")),
        Prefetch("categories", queryset=Category.objects.order_by("name")),
    )


# What a row of the directory page shows: the page reads these columns only.
DIRECTORY_COLUMNS = (
    "workspace_id",
    "display_name",
    "region",
    "classification",
    "relationship_status",
    "rate_currency",
    "total_followers",
    "top_tier",
    "min_price",
    "engagement_rate",
    "authenticity_score",
    "engagement_vs_tier",
    "engagement_stability",
    "red_flags",
    "sponsored_vs_organic",
)


def creator_directory_page(workspace: Workspace, filters: dict[str, Any]) -> QuerySet[Creator]:
    """The directory as its page lists it: the columns a row shows; the rows' accounts and
    categories come from directory_row_extras, for the page's rows only."""
    return creator_directory(workspace, filters).only(*DIRECTORY_COLUMNS).prefetch_related(None)


AccountCells = tuple[int, str, int | None, str, str]  # pk, platform, followers, tier, avatar


def directory_row_extras(
    workspace: Workspace, creator_ids: list[int]
) -> tuple[dict[int, list[AccountCells]], dict[int, list[str]]]:
    """Of these creators: their accounts, biggest first, and their category names, by creator
    id. Raw SQL, plain tuples: two short reads for a page of rows, which the ORM took longer
    to build than the database took to answer."""
    accounts: dict[int, list[AccountCells]] = {pk: [] for pk in creator_ids}
    categories: dict[int, list[str]] = {pk: [] for pk in creator_ids}
    if not creator_ids:
        return accounts, categories
    ids = ", ".join(["%s"] * len(creator_ids))
    with connection.cursor() as cursor:
        cursor.execute(DIRECTORY_ACCOUNTS.format(ids=ids), [workspace.pk, *creator_ids])
        for creator_id, pk, platform, followers, tier, avatar in cursor.fetchall():
            accounts[creator_id].append((pk, platform, followers, tier, avatar or ""))
        cursor.execute(DIRECTORY_CATEGORIES.format(ids=ids), creator_ids)
        for creator_id, name in cursor.fetchall():
            categories[creator_id].append(name)
    return accounts, categories


# The same order as the ORM's order_by("-followers", "pk") on each database.
DIRECTORY_ACCOUNTS = (
    "SELECT creator_id, id, platform, followers, tier, avatar"  # noqa: S608
    f" FROM {SocialAccount._meta.db_table}"
    " WHERE workspace_id = %s AND creator_id IN ({ids}) ORDER BY followers DESC, id"
)
DIRECTORY_CATEGORIES = (
    "SELECT t.creator_id, c.name"  # noqa: S608
    f" FROM {Creator.categories.through._meta.db_table} t"
    f" JOIN {Category._meta.db_table} c ON c.id = t.category_id"
    " WHERE t.creator_id IN ({ids}) ORDER BY c.name, c.id"
)


# What the export reads (creators.export.directory_frame): no other column is loaded.
EXPORT_FIELDS = (
    "display_name",
    "real_name",
    "classification",
    "region",
    "total_followers",
    "top_tier",
    "engagement_rate",
    "engagement_stability",
    "authenticity_score",
    "red_flags",
    "engagement_vs_tier",
    "sponsored_vs_organic",
    "min_price",
    "rate_currency",
    "relationship_status",
)


def creator_directory_export(workspace: Workspace, filters: dict[str, Any]) -> DirectoryRows:
    """The directory's creators as filtered, with their accounts and categories, as the plain
    rows the export writes (three queries whatever the size)."""
    creators = creator_directory(workspace, filters).prefetch_related(None)
    chosen = creators.order_by().values("pk")
    accounts: dict[int, list[ExportAccount]] = defaultdict(list)
    for creator_id, pk, platform, handle, platform_id, url, followers in (
        SocialAccount.objects.for_workspace(workspace)
        .filter(creator__in=chosen)
        .values_list(
            "creator_id", "pk", "platform", "handle", "platform_id", "profile_url", "followers"
        )
    ):
        accounts[creator_id].append(
            ExportAccount(pk, platform, handle, platform_id, url, followers)
        )
    categories: dict[int, list[str]] = defaultdict(list)
    for creator_id, name in (
        Creator.categories.through.objects.filter(creator__in=chosen)
        .order_by("category__name")
        .values_list("creator_id", "category__name")
    ):
        categories[creator_id].append(name)
    return DirectoryRows(list(creators.values("pk", *EXPORT_FIELDS)), accounts, categories)


def _with_audience(creators: Creators, filters: dict[str, Any], platform: str | None) -> Creators:
    """Creators whose newest audience profile (of the platform's account, with a platform)
    has at least the asked share in each asked bucket; whoever wrote that profile, the
    platform or a person: the newest is what the creator's audience is known to be."""
    wanted = {name: filters[name] for name in AUDIENCE_FILTERS if filters.get(name)}
    if not wanted:
        return creators
    profiles = AudienceProfile.objects.filter(account__creator=OuterRef("pk"))
    if platform:
        profiles = profiles.filter(account__platform=platform)
    newest = profiles.order_by("-captured_on", "-pk").values("pk")[:1]
    matching = AudienceProfile.objects.filter(pk=OuterRef("newest_audience"))
    for name, bucket in wanted.items():
        dimension, smallest = AUDIENCE_FILTERS[name]
        # The buckets are the vocabulary's keys (TW, female, 25-34), never free text.
        share = filters.get(smallest)
        if share is None:
            matching = matching.filter(**{f"{dimension}__{bucket}__gt": 0})
        else:
            matching = matching.filter(**{f"{dimension}__{bucket}__gte": float(share)})
    return creators.annotate(newest_audience=Subquery(newest)).filter(Exists(matching))


class CategoryChoice(NamedTuple):
    pk: int
    name: str


def workspace_categories(workspace: Workspace) -> list[CategoryChoice]:
    """The workspace's categories by name, as the directory's filter offers them (raw: read on
    every directory view, where the ORM took longer to build it than to run it)."""
    with connection.cursor() as cursor:
        cursor.execute(WORKSPACE_CATEGORIES, [workspace.pk])
        return [CategoryChoice(*row) for row in cursor.fetchall()]


WORKSPACE_CATEGORIES = (
    f"SELECT id, name FROM {Category._meta.db_table} WHERE workspace_id = %s"  # noqa: S608
    " ORDER BY name, id"
)


def category_spellings(workspace: Workspace, names: set[str]) -> dict[str, str]:
    """Each written category name → the name it is stored under: the workspace's category
    it spells (creators.categories), or the fullest new spelling of it."""
    if not names:
        return {}
    existing = Category.objects.for_workspace(workspace).order_by("pk")
    return category_names_resolve(sorted(names), existing.values_list("name", flat=True))


def regions_cache_key(workspace: Workspace) -> str:
    return f"creator-regions:{workspace.pk}"


def workspace_regions(workspace: Workspace) -> list[str]:
    """Regions used in the roster, for the filter menu; cached for a few minutes because a
    DISTINCT over 100k creators would cost a fifth of the page's time budget."""
    regions = cache.get_or_set(
        regions_cache_key(workspace),
        lambda: list(
            Creator.objects.for_workspace(workspace)
            .exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()
        ),
        REGIONS_CACHE_SECONDS,
    )
    return regions or []


def get_creator(scope: Scope, pk: int) -> Creator:
    """A creator of the scope's workspace, with what the profile page shows, or 404."""
    creators = (
        Creator.objects.for_workspace(scope_workspace(scope))
        .select_related("owner")
        .prefetch_related(
            Prefetch("accounts", queryset=SocialAccount.objects.order_by("-followers")),
            "categories",
            "tags",
            "rates",
        )
    )
    return get_object_or_404(creators, pk=pk)


def get_account_with_avatar(scope: Scope, pk: int) -> SocialAccount:
    """An account of the scope's workspace that has a stored picture, or 404."""
    accounts = SocialAccount.objects.for_workspace(scope_workspace(scope)).exclude(avatar="")
    return get_object_or_404(accounts, pk=pk)


def get_shortlist(scope: Scope, pk: int) -> Shortlist:
    """A shortlist of the scope's workspace, or 404."""
    return get_object_or_404(Shortlist.objects.for_workspace(scope_workspace(scope)), pk=pk)


def get_import(scope: Scope, pk: int) -> CreatorImport:
    """A spreadsheet import of the scope's workspace, or 404."""
    return get_object_or_404(CreatorImport.objects.for_workspace(scope_workspace(scope)), pk=pk)


def get_directory_export(membership: Membership, pk: int) -> DirectoryExport:
    """An export the member asked for, in their workspace, or 404 (another member's too: its
    filters and file are the asker's)."""
    exports = DirectoryExport.objects.for_workspace(membership.workspace).filter(
        requested_by=membership.user_id
    )
    return get_object_or_404(exports, pk=pk)


def follower_history(workspace: Workspace, creator: Creator) -> dict[int, list[tuple]]:
    """(date, followers) per account of the creator, oldest first."""
    history: dict[int, list[tuple]] = {}
    rows = (
        AccountSnapshot.objects.for_workspace(workspace)
        .filter(account__creator=creator, followers__isnull=False)
        .order_by("captured_on")
        .values_list("account_id", "captured_on", "followers")
    )
    for account_id, day, followers in rows:
        history.setdefault(account_id, []).append((day, followers))
    return history


def latest_audience(workspace: Workspace, creator: Creator) -> AudienceProfile | None:
    return (
        AudienceProfile.objects.for_workspace(workspace)
        .filter(account__creator=creator)
        .select_related("account")
        .order_by("-captured_on", "-pk")
        .first()
    )


def merge_candidates(workspace: Workspace, creator: Creator, query: str = "") -> list[Creator]:
    """Creators that look like the same person (name, contact or handle), or match a search."""
    others = Creator.objects.for_workspace(workspace).exclude(pk=creator.pk)
    if query:
        matches = others.filter(search_text__contains=fold_for_search(query).lstrip("@"))
    else:
        handles = list(creator.accounts.values_list("handle", flat=True))
        same = Q(display_name__iexact=creator.display_name) | Q(accounts__handle__in=handles)
        for contact in ("email", "phone", "line_id"):
            if value := getattr(creator, contact):
                same |= Q(**{f"{contact}__iexact": value})
        matches = others.filter(same)
    return list(matches.distinct().order_by("-total_followers").prefetch_related("accounts")[:20])


def audience_samples(workspace: Workspace, creator: Creator) -> list[AudienceSample]:
    """The creator's audience samples, newest first, without their (large) hashes."""
    return list(
        AudienceSample.objects.for_workspace(workspace)
        .filter(account__creator=creator)
        .select_related("account")
        .defer("hashes")
        .order_by("-created_at")
    )


def comment_samples(workspace: Workspace, creator: Creator) -> list[CommentSample]:
    """The creator's comment samples by account, newest first, without their texts."""
    return list(
        CommentSample.objects.for_workspace(workspace)
        .filter(account__creator=creator)
        .select_related("account")
        .defer("comments")
        .order_by("account_id", "-created_at", "-pk")
    )


def workspace_shortlists(workspace: Workspace) -> list[Shortlist]:
    """The workspace's shortlists with their sizes, newest first."""
    return list(
        Shortlist.objects.for_workspace(workspace)
        .select_related("brand")
        .annotate(size=Count("creators"))
        .order_by("-created_at")
    )


def shortlist_creators(workspace: Workspace, shortlist: Shortlist) -> list[Creator]:
    return list(
        Creator.objects.for_workspace(workspace)
        .filter(shortlists=shortlist)
        .order_by("-total_followers")
        .prefetch_related(
            Prefetch("accounts", queryset=SocialAccount.objects.order_by("-followers")),
            "categories",
        )
    )
