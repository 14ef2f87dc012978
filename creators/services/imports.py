"""Creators from a spreadsheet: upsert in bulk (by platform + handle). The browser's upload,
preview and confirmation, which run this in the worker, are in creators.services.import_jobs."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from creators.importer import (
    PLAIN_TEXT_FIELDS,
    RATE_FORMAT_BY_PLATFORM,
    AccountRow,
    CreatorRow,
    ParsedImport,
)
from creators.models import (
    Category,
    Creator,
    RateCardItem,
    SocialAccount,
    Tag,
    TierThresholds,
)
from creators.selectors import category_spellings, regions_cache_key
from creators.services.accounts import account_snapshots_record
from creators.services.directory import (
    BATCH,
    creators_refresh_summary,
    set_directory_columns,
    tier_thresholds,
)
from creators.services.roster import labels_get_or_create
from kolhub.models import Workspace
from kolhub.spreadsheets import (
    ImportSummary,
)

ACCOUNT_COUNTS = ("followers", "following", "posts_count", "avg_views")


def _merge_rows(rows: list[CreatorRow]) -> list[CreatorRow]:
    """Rows with the same creator name are one creator with all their accounts."""
    return [_merged(group) for group in _rows_by_creator(rows)]


def _rows_by_creator(rows: list[CreatorRow]) -> list[list[CreatorRow]]:
    """The rows of each creator name, in the order the names first come.

    Linear in the rows: rows are grouped by name first, then each group is merged once.
    Merging row by row rebuilt the creator's lists at every row, so 10,000 rows of one name
    took 48 s, and a file may hold 100,000."""
    groups: dict[str, list[CreatorRow]] = {}
    for row in rows:
        groups.setdefault(row.display_name.casefold(), []).append(row)
    return list(groups.values())


def _merged(group: list[CreatorRow]) -> CreatorRow:
    """One creator from its rows: the first value of each field, every label and account
    once, in the order the rows give them."""
    first = group[0]
    merged = CreatorRow(row=first.row, display_name=first.display_name)
    accounts: dict[tuple[str, str], AccountRow] = {}
    for row in group:
        for name, value in row.fields.items():
            merged.fields.setdefault(name, value)
        for account in row.accounts:
            accounts.setdefault((account.platform, account.handle), account)
    merged.categories = list(dict.fromkeys(c for row in group for c in row.categories))
    merged.tags = list(dict.fromkeys(t for row in group for t in row.tags))
    merged.accounts = list(accounts.values())
    merged.price = next((row.price for row in group if row.price is not None), None)
    return merged


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
        errors=[e.as_dict() for e in parsed.errors],
        skipped=parsed.invalid_rows,
        dry_run=dry_run,
        unmapped_columns=parsed.unmapped_columns,
    )
    if parsed.errors and not skip_invalid:
        return summary
    with transaction.atomic():
        _apply(workspace, parsed.rows, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _apply(workspace: Workspace, rows: list[CreatorRow], summary: ImportSummary) -> None:
    """Write the creators a batch at a time. The model objects of a whole file (a creator,
    its accounts, links, rate and snapshots for each of 50,000 rows) held at once took
    hundreds of MB; a batch's are dropped once it is written."""
    thresholds = tier_thresholds(workspace)
    spellings = category_spellings(workspace, {name for row in rows for name in row.categories})
    label_ids = _label_ids(workspace, rows, spellings)
    groups = _rows_by_creator(rows)
    owners: list[int] = []  # the existing creator of each group that has one
    changed_ids: set[int] = set()
    for start in range(0, len(groups), BATCH):
        batch = [_merged(group) for group in groups[start : start + BATCH]]
        _name_categories_as_stored(batch, spellings)
        written = _write_batch(workspace, batch, thresholds, label_ids)
        summary.created += written.created
        owners.extend(written.existing_owners)
        changed_ids |= written.changed_ids
    for owner in owners:
        if owner in changed_ids:
            summary.updated += 1
        else:
            summary.unchanged += 1
    cache.delete(regions_cache_key(workspace))
    # New creators got their directory columns before insertion (a bulk update of tens of
    # thousands of rows is the slow part of an import); only changed ones are recomputed.
    creators_refresh_summary(workspace=workspace, creator_ids=changed_ids)


@dataclass(slots=True)
class _WrittenBatch:
    created: int
    # The creator of each group that was already in the roster (one may own several groups).
    existing_owners: list[int]
    # Creators already in the roster that this batch changed.
    changed_ids: set[int]


def _write_batch(
    workspace: Workspace,
    groups: list[CreatorRow],
    thresholds: TierThresholds,
    label_ids: dict[str, dict[str, int]],
) -> _WrittenBatch:
    """Upsert one batch of creators with their accounts, labels, rates and snapshots."""
    accounts = _existing_accounts(workspace, groups)
    by_name = _existing_creators_by_name(workspace, groups, accounts)
    new_creators: list[Creator] = []
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
            new_creators.append(owner)
        elif _update_fields(owner, group.fields):
            changed_creators.append(owner)
        pairs.append((owner, group))
    Creator.objects.bulk_create(new_creators, batch_size=BATCH)
    Creator.objects.bulk_update(changed_creators, list(_IMPORTED_FIELDS), batch_size=BATCH)
    touched_accounts = _upsert_accounts(workspace, pairs, accounts, thresholds)
    touched_links = _link_labels(pairs, label_ids)
    touched_rates = _upsert_rates(workspace, pairs)
    account_snapshots_record(workspace, [accounts[key] for key in _counted(pairs)])
    new_ids = {c.pk for c in new_creators}
    changed_ids = (
        {c.pk for c in changed_creators}
        | {accounts[key].creator_id for key in touched_accounts}
        | touched_links
        | touched_rates
    )
    return _WrittenBatch(
        created=len(new_ids),
        existing_owners=[c.pk for c, _group in pairs if c.pk not in new_ids],
        changed_ids=changed_ids - new_ids,
    )


def _name_categories_as_stored(groups: list[CreatorRow], spellings: dict[str, str]) -> None:
    """Each written category becomes the name it is stored under (美妝 and Beauty become the
    workspace's 美妝 Beauty), before the new creators' search text is made from them."""
    for group in groups:
        group.categories = list(
            dict.fromkeys(spellings[n] for n in group.categories if n in spellings)
        )


def _label_ids(
    workspace: Workspace, rows: list[CreatorRow], spellings: dict[str, str]
) -> dict[str, dict[str, int]]:
    """The ids of every category and tag of the file by stored name, the missing ones
    created: once for the file, not once a batch."""
    names = {
        "categories": {spellings[n] for row in rows for n in row.categories if n in spellings},
        "tags": {t for row in rows for t in row.tags},
    }
    return {
        relation: labels_get_or_create(workspace, model, names[relation]) if names[relation] else {}
        for relation, model in (("categories", Category), ("tags", Tag))
    }


def _summarise_new(creator: Creator, group: CreatorRow, thresholds: TierThresholds) -> None:
    """The directory columns of a creator that exists only in this import."""
    set_directory_columns(
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


def _link_labels(pairs, label_ids: dict[str, dict[str, int]]) -> set[int]:
    """Add imported categories and tags (never removes); the ids of creators that gained one."""
    gained: set[int] = set()
    for relation, attr in (("categories", "category"), ("tags", "tag")):
        if not any(getattr(g, relation) for _, g in pairs):
            continue
        ids = label_ids[relation]
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
