"""Every write to the roster goes through here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from creators.audience import pack_identifiers
from creators.importer import (
    PLAIN_TEXT_FIELDS,
    RATE_FORMAT_BY_PLATFORM,
    AccountRow,
    ColumnRole,
    CreatorRow,
    ParsedImport,
    parse_table,
)
from creators.models import (
    AccountSnapshot,
    AudienceProfile,
    AudienceSample,
    Category,
    CommentSample,
    Creator,
    CreatorImport,
    RateCardItem,
    Shortlist,
    SocialAccount,
    Tag,
    Tier,
    TierThresholds,
)
from creators.selectors import regions_cache_key
from kolhub.models import Workspace
from kolhub.spreadsheets import MAX_IMPORT_BYTES, ImportSummary, read_table

BATCH = 2000
ACCOUNT_COUNTS = ("followers", "following", "posts_count", "avg_views")


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
    _set_directory_columns(
        creator,
        thresholds,
        followers=[a.followers for a in accounts],
        handles=[a.handle for a in accounts],
        labels=[*(t.name for t in creator.tags.all()), *(c.name for c in creator.categories.all())],
        prices=[r.price for r in creator.rates.all()],
    )


def _set_directory_columns(
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
    creator.search_text = " ".join(w for w in words if w).lower()


# --- Import ---------------------------------------------------------------------


def _merge_rows(rows: list[CreatorRow]) -> list[CreatorRow]:
    """Rows with the same creator name are one creator with all their accounts."""
    merged: dict[str, CreatorRow] = {}
    for row in rows:
        key = row.display_name.casefold()
        if key not in merged:
            merged[key] = CreatorRow(row=row.row, display_name=row.display_name)
        target = merged[key]
        for name, value in row.fields.items():
            target.fields.setdefault(name, value)
        target.categories = list(dict.fromkeys(target.categories + row.categories))
        target.tags = list(dict.fromkeys(target.tags + row.tags))
        known = {(a.platform, a.handle) for a in target.accounts}
        target.accounts += [a for a in row.accounts if (a.platform, a.handle) not in known]
        if target.price is None:
            target.price = row.price
    return list(merged.values())


def creators_import(
    *,
    workspace: Workspace,
    parsed: ParsedImport,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Upsert creators and accounts (by platform + handle) from a validated spreadsheet.

    All or nothing: with errors and without skip_invalid nothing is written; a dry run
    computes the same summary and rolls back.
    """
    summary = ImportSummary(
        errors=[e.as_dict() for e in parsed.errors], skipped=parsed.invalid_rows, dry_run=dry_run
    )
    if parsed.errors and not skip_invalid:
        return summary
    with transaction.atomic():
        _apply(workspace, _merge_rows(parsed.rows), summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _apply(workspace: Workspace, groups: list[CreatorRow], summary: ImportSummary) -> None:
    thresholds = tier_thresholds(workspace)
    accounts = _existing_accounts(workspace, groups)
    by_name = _existing_creators_by_name(workspace, groups, accounts)
    new_creators: list[tuple[Creator, CreatorRow]] = []
    changed_creators: list[Creator] = []
    pairs: list[tuple[Creator, CreatorRow]] = []
    for group in groups:
        owner = next(
            (
                accounts[(a.platform, a.handle)].creator
                for a in group.accounts
                if (a.platform, a.handle) in accounts
            ),
            None,
        ) or by_name.get(group.display_name.casefold())
        if owner is None:
            owner = Creator(
                workspace=workspace,
                display_name=group.display_name,
                rate_currency=workspace.currency,
                **group.fields,
            )
            _summarise_new(owner, group, thresholds)
            new_creators.append((owner, group))
        elif _update_fields(owner, group.fields):
            changed_creators.append(owner)
        pairs.append((owner, group))
    Creator.objects.bulk_create([c for c, _ in new_creators], batch_size=BATCH)
    Creator.objects.bulk_update(changed_creators, list(_IMPORTED_FIELDS), batch_size=BATCH)
    touched_accounts = _upsert_accounts(workspace, pairs, accounts, thresholds)
    touched_links = _link_labels(workspace, pairs)
    touched_rates = _upsert_rates(workspace, pairs)
    _snapshot_today(workspace, [accounts[key] for key in _counted(pairs)])

    new_ids = {c.pk for c, _ in new_creators}
    changed_ids = (
        {c.pk for c in changed_creators}
        | {accounts[key].creator_id for key in touched_accounts}
        | touched_links
        | touched_rates
    )
    for creator, _ in pairs:
        if creator.pk in new_ids:
            summary.created += 1
        elif creator.pk in changed_ids:
            summary.updated += 1
        else:
            summary.unchanged += 1
    cache.delete(regions_cache_key(workspace))
    # New creators got their directory columns before insertion (a bulk update of tens of
    # thousands of rows is the slow part of an import); only changed ones are recomputed.
    creators_refresh_summary(workspace=workspace, creator_ids=changed_ids - new_ids)


def _summarise_new(creator: Creator, group: CreatorRow, thresholds: TierThresholds) -> None:
    """The directory columns of a creator that exists only in this import."""
    _set_directory_columns(
        creator,
        thresholds,
        followers=[a.followers for a in group.accounts],
        handles=[a.handle for a in group.accounts],
        labels=[*group.tags, *group.categories],
        prices=[group.price] if group.price is not None else [],
    )


_IMPORTED_FIELDS = (*sorted(PLAIN_TEXT_FIELDS), "email", "classification")


def _update_fields(creator: Creator, values: dict[str, str]) -> bool:
    changed = False
    for name, value in values.items():
        if name in _IMPORTED_FIELDS and getattr(creator, name) != value:
            setattr(creator, name, value)
            changed = True
    return changed


def _existing_accounts(workspace: Workspace, groups: list[CreatorRow]):
    keys = {(a.platform, a.handle) for g in groups for a in g.accounts}
    found: dict[tuple[str, str], SocialAccount] = {}
    handles = sorted({h for _, h in keys})
    for start in range(0, len(handles), BATCH):
        for account in (
            SocialAccount.objects.for_workspace(workspace)
            .filter(handle__in=handles[start : start + BATCH])
            .select_related("creator")
        ):
            if (account.platform, account.handle) in keys:
                found[(account.platform, account.handle)] = account
    return found


def _existing_creators_by_name(workspace, groups, accounts) -> dict[str, Creator]:
    names = [
        g.display_name
        for g in groups
        if not any((a.platform, a.handle) in accounts for a in g.accounts)
    ]
    found: dict[str, Creator] = {}
    for start in range(0, len(names), BATCH):
        for creator in Creator.objects.for_workspace(workspace).filter(
            display_name__in=names[start : start + BATCH]
        ):
            found.setdefault(creator.display_name.casefold(), creator)
    return found


def _upsert_accounts(workspace, pairs, accounts, thresholds) -> set[tuple[str, str]]:
    """Create new accounts and update changed counts; the keys of what changed."""
    now = timezone.now()
    to_create, to_update, touched = [], [], set()
    for creator, group in pairs:
        for row in group.accounts:
            key = (row.platform, row.handle)
            existing = accounts.get(key)
            if existing is None:
                account = SocialAccount(
                    workspace=workspace,
                    creator=creator,
                    platform=row.platform,
                    handle=row.handle,
                    profile_url=row.url,
                    platform_id=row.platform_id,
                    last_refreshed_at=now if row.followers is not None else None,
                    tier=thresholds.tier_for(row.followers),
                    **{f: getattr(row, f) for f in ACCOUNT_COUNTS},
                )
                to_create.append(account)
                accounts[key] = account
                touched.add(key)
            elif _update_account(existing, row, now):
                to_update.append(existing)
                touched.add(key)
    SocialAccount.objects.bulk_create(to_create, batch_size=BATCH)
    SocialAccount.objects.bulk_update(
        to_update,
        [*ACCOUNT_COUNTS, "profile_url", "platform_id", "last_refreshed_at"],
        batch_size=BATCH,
    )
    return touched


def _update_account(account: SocialAccount, row: AccountRow, now) -> bool:
    changed = False
    for name in ACCOUNT_COUNTS:
        value = getattr(row, name)
        if value is not None and getattr(account, name) != value:
            setattr(account, name, value)
            changed = True
    for name, value in (("profile_url", row.url), ("platform_id", row.platform_id)):
        if value and getattr(account, name) != value:
            setattr(account, name, value)
            changed = True
    if changed:
        account.last_refreshed_at = now
    return changed


def _counted(pairs) -> set[tuple[str, str]]:
    return {(a.platform, a.handle) for _, g in pairs for a in g.accounts if a.followers is not None}


def _snapshot_today(workspace: Workspace, accounts: list[SocialAccount]) -> None:
    """One snapshot per account per day: a second import the same day overwrites it."""
    today: date = timezone.localdate()
    snapshots = [
        AccountSnapshot(
            workspace=workspace,
            account=a,
            captured_on=today,
            followers=a.followers,
            following=a.following,
            posts_count=a.posts_count,
        )
        for a in accounts
        if a.followers is not None
    ]
    AccountSnapshot.objects.bulk_create(
        snapshots,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["account", "captured_on"],
        update_fields=["followers", "following", "posts_count"],
    )


AUDIENCE_DIMENSIONS = ("age", "gender", "countries", "cities", "languages")


def _audience_today(
    workspace: Workspace,
    accounts: list[SocialAccount],
    figures: dict[int, AccountFigures],
    source: str,
) -> None:
    """One profile per account, day and source: a second refresh the same day replaces it."""
    with_audience = [a for a in accounts if figures[a.pk].audience]
    today = timezone.localdate()
    AudienceProfile.objects.filter(
        account__in=with_audience, captured_on=today, source=source
    ).delete()
    AudienceProfile.objects.bulk_create(
        AudienceProfile(
            workspace=workspace,
            account=account,
            captured_on=today,
            source=source,
            **{
                dimension: dict(shares)
                for dimension, shares in figures[account.pk].audience.items()
                if dimension in AUDIENCE_DIMENSIONS
            },
        )
        for account in with_audience
    )


def _labels(workspace: Workspace, model, names: set[str]) -> dict[str, int]:
    existing = dict(
        model.objects.for_workspace(workspace).filter(name__in=names).values_list("name", "pk")
    )
    missing = [model(workspace=workspace, name=n) for n in names if n not in existing]
    if missing:
        model.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(
            model.objects.for_workspace(workspace).filter(name__in=names).values_list("name", "pk")
        )
    return existing


def _link_labels(workspace: Workspace, pairs) -> set[int]:
    """Add imported categories and tags (never removes); the ids of creators that gained one."""
    gained: set[int] = set()
    for relation, model, attr in (("categories", Category, "category"), ("tags", Tag, "tag")):
        names = {n for _, g in pairs for n in getattr(g, relation)}
        if not names:
            continue
        ids = _labels(workspace, model, names)
        through = getattr(Creator, relation).through
        creator_ids = [c.pk for c, _ in pairs]
        before = set(
            through.objects.filter(creator_id__in=creator_ids).values_list(
                "creator_id", f"{attr}_id"
            )
        )
        links = {(c.pk, ids[n]) for c, g in pairs for n in getattr(g, relation)} - before
        through.objects.bulk_create(
            [through(creator_id=c, **{f"{attr}_id": label}) for c, label in links],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        gained |= {c for c, _ in links}
    return gained


def _upsert_rates(workspace: Workspace, pairs) -> set[int]:
    """An imported price becomes the rate of the creator's first platform's usual format."""
    rates = []
    for creator, group in pairs:
        if group.price is None:
            continue
        platform = group.accounts[0].platform if group.accounts else ""
        rate_format = RATE_FORMAT_BY_PLATFORM.get(platform, "other")
        rates.append(
            RateCardItem(
                workspace=workspace, creator=creator, format=rate_format, price=group.price
            )
        )
    if not rates:
        return set()
    existing = {
        (r.creator_id, r.format): r.price
        for r in RateCardItem.objects.filter(creator_id__in=[r.creator.pk for r in rates])
    }
    changed = [r for r in rates if existing.get((r.creator.pk, r.format)) != r.price]
    RateCardItem.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["creator", "format"],
        update_fields=["price"],
    )
    return {r.creator.pk for r in changed}


@transaction.atomic
def creator_save(
    *,
    creator: Creator,
    categories: Iterable[Category] | None = None,
    tag_names: Iterable[str] | None = None,
    rates: dict | None = None,
) -> Creator:
    """Create or update a creator from its validated form; keeps the directory columns current."""
    creator.save()
    if categories is not None:
        creator.categories.set(list(categories))
    if tag_names is not None:
        names = set(tag_names)
        ids = _labels(creator.workspace, Tag, names) if names else {}
        creator.tags.set(list(ids.values()))
    if rates is not None:
        _set_rates(creator, rates)
    creators_refresh_summary(workspace=creator.workspace, creator_ids=[creator.pk])
    creator.refresh_from_db()
    return creator


def _set_rates(creator: Creator, rates: dict) -> None:
    """The rate card as given: a price per format, an empty price removes that format."""
    RateCardItem.objects.filter(creator=creator).exclude(
        format__in=[f for f, price in rates.items() if price is not None]
    ).delete()
    for rate_format, price in rates.items():
        if price is not None:
            RateCardItem.objects.update_or_create(
                workspace=creator.workspace,
                creator=creator,
                format=rate_format,
                defaults={"price": price},
            )


@transaction.atomic
def account_add(
    *,
    creator: Creator,
    platform: str,
    handle: str,
    url: str = "",
    platform_id: str = "",
    followers: int | None = None,
) -> SocialAccount:
    """Attach a social account to a creator (the form has checked it is not taken)."""
    from creators.parsing import canonical_url

    account = SocialAccount.objects.create(
        workspace=creator.workspace,
        creator=creator,
        platform=platform,
        handle=handle,
        profile_url=url or canonical_url(platform, handle, platform_id),
        platform_id=platform_id,
        followers=followers,
        last_refreshed_at=timezone.now() if followers is not None else None,
    )
    if followers is not None:
        _snapshot_today(creator.workspace, [account])
    creators_refresh_summary(workspace=creator.workspace, creator_ids=[creator.pk])
    return account


# --- Import from the browser: upload, preview, confirm ---------------------------


def creator_import_upload(*, workspace: Workspace, user, upload) -> CreatorImport:
    """Keep an uploaded spreadsheet for preview; ImportFileError when it cannot be read."""
    data = upload.read(MAX_IMPORT_BYTES + 1)
    read_table(data, upload.name)  # refuse unreadable files now, with the reason
    creator_import = CreatorImport(workspace=workspace, filename=upload.name[:200], created_by=user)
    creator_import.file.save(
        f"{uuid.uuid4().hex}{Path(upload.name).suffix[:8]}", ContentFile(data), save=False
    )
    creator_import.save()
    return creator_import


def _parse_stored(creator_import: CreatorImport) -> tuple[pd.DataFrame, ParsedImport]:
    with creator_import.file.open("rb") as handle:
        frame = read_table(handle.read(), creator_import.filename)
    mapping = {name: ColumnRole.from_key(key) for name, key in creator_import.mapping.items()}
    return frame, parse_table(frame, mapping)


def creator_import_preview(*, creator_import: CreatorImport):
    """The table, its validation and what confirming would do (a dry run)."""
    frame, parsed = _parse_stored(creator_import)
    summary = creators_import(
        workspace=creator_import.workspace, parsed=parsed, skip_invalid=True, dry_run=True
    )
    return frame, parsed, summary


def creator_import_set_mapping(*, creator_import: CreatorImport, mapping: dict[str, str]) -> None:
    """Remember which column holds what, as the user corrected it."""
    creator_import.mapping = mapping
    creator_import.save(update_fields=["mapping"])


@transaction.atomic
def creator_import_apply(*, creator_import: CreatorImport, skip_invalid: bool) -> ImportSummary:
    """Write the previewed import; a second confirmation of the same upload does nothing."""
    locked = CreatorImport.objects.select_for_update().get(pk=creator_import.pk)
    if locked.status == CreatorImport.Status.APPLIED:
        return ImportSummary(**{k: v for k, v in locked.summary.items() if k != "dry_run"})
    _, parsed = _parse_stored(locked)
    summary = creators_import(workspace=locked.workspace, parsed=parsed, skip_invalid=skip_invalid)
    if not summary.errors or skip_invalid:
        locked.status = CreatorImport.Status.APPLIED
        locked.summary = summary.as_dict()
        locked.save(update_fields=["status", "summary"])
    return summary


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


_MERGE_FILLED_FIELDS = (
    "real_name",
    "bio",
    "region",
    "city",
    "languages",
    "email",
    "phone",
    "line_id",
    "agent_name",
    "agent_contact",
    "classification",
    "classification_reason",
)


@transaction.atomic
def creators_merge(*, target: Creator, source: Creator) -> Creator:
    """Fold `source` into `target` (accounts, history, rates, labels, blanks), then delete it."""
    if source.pk == target.pk or source.workspace_id != target.workspace_id:
        raise ValueError("merge needs two creators of one workspace")
    SocialAccount.objects.filter(creator=source).update(creator=target)
    target_formats = set(target.rates.values_list("format", flat=True))
    RateCardItem.objects.filter(creator=source).exclude(format__in=target_formats).update(
        creator=target
    )
    target.categories.add(*source.categories.all())
    target.tags.add(*source.tags.all())
    for shortlist in source.shortlists.all():
        shortlist.creators.add(target)
    for name in _MERGE_FILLED_FIELDS:
        if not getattr(target, name) and getattr(source, name):
            setattr(target, name, getattr(source, name))
    if source.notes:
        target.notes = "\n\n".join(n for n in (target.notes, source.notes) if n)
    target.save()
    source.delete()
    creators_refresh_summary(workspace=target.workspace, creator_ids=[target.pk])
    target.refresh_from_db()
    return target


def audience_profile_save(*, profile: AudienceProfile) -> AudienceProfile:
    """Save audience demographics entered by hand (with their screenshot, if any)."""
    profile.save()
    return profile


def audience_sample_add(
    *, account: SocialAccount, identifiers: Iterable[str], description: str = ""
) -> AudienceSample:
    """Store a list of audience identifiers of an account as packed hashes."""
    packed, size = pack_identifiers(identifiers)
    return AudienceSample.objects.create(
        workspace=account.workspace,
        account=account,
        description=description,
        size=size,
        hashes=packed,
    )


@transaction.atomic
def comment_sample_add(
    *, account: SocialAccount, comments: list[str], source: str, description: str = ""
) -> CommentSample:
    """Store the texts of comments on an account's posts; the account keeps its newest
    CommentSample.KEEP_PER_ACCOUNT samples."""
    texts = [text[: CommentSample.MAX_COMMENT_LENGTH] for text in comments]
    sample = CommentSample.objects.create(
        workspace=account.workspace,
        account=account,
        source=source,
        description=description,
        comments=texts,
        size=len(texts),
    )
    older = CommentSample.objects.filter(account=account).order_by("-created_at", "-pk")
    stale = older.values_list("pk", flat=True)[CommentSample.KEEP_PER_ACCOUNT :]
    CommentSample.objects.filter(pk__in=list(stale)).delete()
    return sample


@transaction.atomic
def shortlist_add(
    *, workspace: Workspace, creator_ids: Iterable[int], user, name: str
) -> tuple[Shortlist, int]:
    """Add creators of this workspace to the shortlist of that name (made if new)."""
    shortlist, _ = Shortlist.objects.get_or_create(
        workspace=workspace, name=name.strip()[:120], defaults={"created_by": user}
    )
    creators = Creator.objects.for_workspace(workspace).filter(pk__in=list(creator_ids))
    before = shortlist.creators.count()
    shortlist.creators.add(*creators)
    return shortlist, shortlist.creators.count() - before


def shortlist_remove(*, shortlist: Shortlist, creator: Creator) -> None:
    """Take a creator off a shortlist (the creator stays on the roster)."""
    shortlist.creators.remove(creator)


@dataclass(frozen=True)
class AccountFigures:
    """What a platform says about an account today; None where it did not say."""

    followers: int | None
    following: int | None = None
    posts_count: int | None = None
    # dimension ("age", "gender", "countries", "cities") → bucket → share of the audience
    audience: dict[str, dict[str, float]] = field(default_factory=dict)


@transaction.atomic
def accounts_figures_record(
    *, workspace: Workspace, figures: dict[int, AccountFigures], audience_source: str
) -> int:
    """Store figures read from the platforms: the accounts' counts, today's snapshot, the
    audience profile of the day, and the creators' directory columns. Returns accounts updated."""
    accounts = list(SocialAccount.objects.for_workspace(workspace).filter(pk__in=figures))
    now = timezone.now()
    for account in accounts:
        read = figures[account.pk]
        for name in ("followers", "following", "posts_count"):
            value = getattr(read, name)
            if value is not None:
                setattr(account, name, value)
        account.last_refreshed_at = now
    SocialAccount.objects.bulk_update(
        accounts, ["followers", "following", "posts_count", "last_refreshed_at"], batch_size=BATCH
    )
    _snapshot_today(workspace, accounts)
    _audience_today(workspace, accounts, figures, audience_source)
    creators_refresh_summary(workspace=workspace, creator_ids={a.creator_id for a in accounts})
    return len(accounts)


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
    """One UPDATE … FROM (VALUES …) per 5,000 creators: bulk_update's CASE per row costs
    seconds for a workspace of 20,000 (bench/test_scoring.py)."""
    table = Creator._meta.db_table
    casts = ", ".join(["%s::bigint"] + [f"%s::{kind}" for kind, _places in SCORE_COLUMNS.values()])
    assignments = ", ".join(f"{name} = v.{name}" for name in SCORE_COLUMNS)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            values = ", ".join([f"({casts})"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS c SET {assignments} "  # noqa: S608 - fixed names
                f"FROM (VALUES {values}) AS v(id, {', '.join(SCORE_COLUMNS)}) "
                "WHERE c.id = v.id AND c.workspace_id = %s",
                [value for row in batch for value in row] + [workspace_id],
            )
