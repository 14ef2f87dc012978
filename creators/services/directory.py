"""The directory's denormalised columns (totals, tier, lowest rate, search text, scores) and the
workspace's tier thresholds: kept current whenever accounts, rates, labels or scores change."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from creators.models import Creator, SocialAccount, Tier, TierThresholds
from creators.selectors import regions_cache_key
from kolhub.bulk import rows_update
from kolhub.folding import fold_for_search
from kolhub.models import Workspace

BATCH = 2000


def tier_thresholds(workspace: Workspace) -> TierThresholds:
    """The workspace's tier thresholds (created with the defaults on first use)."""
    thresholds, _ = TierThresholds.objects.get_or_create(workspace=workspace)
    return thresholds


def creators_refresh_summary(*, workspace: Workspace, creator_ids: Iterable[int]) -> None:
    """Recompute the directory columns of these creators from their accounts and rates."""
    cache.delete(regions_cache_key(workspace))  # a region may have appeared or gone
    thresholds = tier_thresholds(workspace)
    ids = list(set(creator_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        creators = list(
            Creator.objects.for_workspace(workspace)
            .filter(pk__in=chunk)
            .prefetch_related("accounts", "rates", "tags", "categories")
        )
        accounts_to_update = []
        for creator in creators:
            accounts = list(creator.accounts.all())
            for account in accounts:
                tier = thresholds.tier_for(account.followers)
                if account.tier != tier:
                    account.tier = tier
                    accounts_to_update.append(account)
            _summarise(creator, accounts, thresholds)
        SocialAccount.objects.bulk_update(accounts_to_update, ["tier"], batch_size=BATCH)
        Creator.objects.bulk_update(
            creators, ["total_followers", "top_tier", "min_price", "search_text"], batch_size=BATCH
        )


def _summarise(creator: Creator, accounts: list[SocialAccount], thresholds: TierThresholds) -> None:
    set_directory_columns(
        creator,
        thresholds,
        followers=[a.followers for a in accounts],
        handles=[a.handle for a in accounts],
        labels=[*(t.name for t in creator.tags.all()), *(c.name for c in creator.categories.all())],
        prices=[r.price for r in creator.rates.all()],
    )


def set_directory_columns(
    creator: Creator, thresholds: TierThresholds, *, followers, handles, labels, prices
) -> None:
    """The denormalised columns the directory filters, sorts and searches on."""
    creator.total_followers = sum(f or 0 for f in followers)
    creator.top_tier = thresholds.tier_for(
        max((f for f in followers if f is not None), default=None)
    )
    creator.min_price = min(prices) if prices else None
    words = [
        creator.display_name,
        creator.real_name,
        creator.bio,
        creator.region,
        creator.city,
        *(f"@{h}" for h in handles),
        *labels,
    ]
    creator.search_text = fold_for_search(" ".join(w for w in words if w))


def _tier_case(thresholds: TierThresholds, followers_at_least) -> Case:
    """A SQL CASE giving the tier of whatever `followers_at_least(minimum)` tests."""
    steps = [
        (Tier.MEGA, thresholds.mega_min),
        (Tier.MACRO, thresholds.macro_min),
        (Tier.MID, thresholds.mid_min),
        (Tier.MICRO, thresholds.micro_min),
        (Tier.NANO, 0),
    ]
    return Case(
        *(When(followers_at_least(minimum), then=Value(str(tier))) for tier, minimum in steps),
        default=Value(""),
    )


@transaction.atomic
def tier_thresholds_update(*, thresholds: TierThresholds) -> TierThresholds:
    """Save new thresholds and re-tier every account and creator of the workspace in SQL."""
    thresholds.save()
    workspace = thresholds.workspace
    SocialAccount.objects.for_workspace(workspace).update(
        tier=_tier_case(thresholds, lambda minimum: Q(followers__gte=minimum))
    )
    accounts = SocialAccount.objects.filter(creator=OuterRef("pk"))
    Creator.objects.for_workspace(workspace).update(
        top_tier=_tier_case(
            thresholds, lambda minimum: Exists(accounts.filter(followers__gte=minimum))
        )
    )
    return thresholds


class CreatorScores(NamedTuple):
    """The directory's score columns of one creator, read from their biggest account; None
    where the scoring could not compute one."""

    engagement_rate: float | None = None
    authenticity_score: float | None = None
    engagement_vs_tier: float | None = None
    engagement_stability: float | None = None
    red_flags: float | None = None
    sponsored_vs_organic: float | None = None


# Each column's SQL type and decimal places (None: an integer).
SCORE_COLUMNS = {
    "engagement_rate": ("numeric", 4),
    "authenticity_score": ("integer", None),
    "engagement_vs_tier": ("numeric", 2),
    "engagement_stability": ("numeric", 2),
    "red_flags": ("integer", None),
    "sponsored_vs_organic": ("numeric", 2),
}


assert tuple(SCORE_COLUMNS) == CreatorScores._fields


def creators_scores_record(*, workspace_id: int, scores: dict[int, CreatorScores]) -> None:
    """Store the directory's score columns as the scoring computed them (creator → scores)."""
    rows = [(pk, *map(_column_value, SCORE_COLUMNS.values(), row)) for pk, row in scores.items()]
    if connection.vendor == "postgresql":
        _scores_update_from_values(workspace_id, rows)
        return
    creators = Creator.objects.filter(workspace_id=workspace_id).in_bulk([row[0] for row in rows])
    for pk, *values in rows:
        if pk in creators:
            for name, value in zip(SCORE_COLUMNS, values, strict=True):
                setattr(creators[pk], name, value)
    Creator.objects.bulk_update(creators.values(), list(SCORE_COLUMNS), batch_size=2000)


def _column_value(column: tuple[str, int | None], value: float | None) -> Decimal | int | None:
    _type, places = column
    if value is None:
        return None
    return int(value) if places is None else _decimal(value, places)


def _decimal(value: float | None, places: int) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, places)))


def _scores_update_from_values(workspace_id: int, rows: list[tuple]) -> None:
    """One UPDATE from a staging table filled by COPY: bulk_update's CASE per row costs
    seconds for a workspace of 20,000 (bench/test_scoring.py), and so does psycopg reading the
    parameters of an UPDATE … FROM (VALUES …) that long."""
    rows_update(Creator, fields=["id", *SCORE_COLUMNS], rows=rows, workspace_id=workspace_id)
