"""The directory as a spreadsheet: CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX.

The columns, always in this order (tests/creators/test_export.py asserts it):
Name, Real name, Profile URL (the creator's main account: the one with the most followers),
KOL or influencer, Categories, Region, Followers, Tier, Engagement rate, Engagement variation
(CV), Authenticity, Red flags, Engagement against its tier (×), Sponsored vs organic (×),
Lowest rate, Currency, Relationship; then, for each platform some exported creator has, in the
platform list's order (Instagram, Facebook, YouTube, TikTok, Threads, X, Blog / website,
Podcast), its profile URL and its followers. Counts are whole numbers; in the XLSX the
engagement rate is a percentage and the lowest rate an amount in the creator's currency.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

import pandas as pd
from django.db import models
from django.utils.translation import gettext as _

from creators.models import (
    Classification,
    Platform,
    RelationshipStatus,
    SocialAccount,
    Tier,
)
from creators.parsing import canonical_url
from kolhub import workbooks
from kolhub.spreadsheets import neutralise


def fixed_columns() -> list[str]:
    return [
        _("Name"),
        _("Real name"),
        _("Profile URL"),
        _("KOL or influencer"),
        _("Categories"),
        _("Region"),
        _("Followers"),
        _("Tier"),
        _("Engagement rate"),
        _("Engagement variation (CV)"),
        _("Authenticity"),
        _("Red flags"),
        _("Engagement against its tier (×)"),
        _("Sponsored vs organic (×)"),
        _("Lowest rate"),
        _("Currency"),
        _("Relationship"),
    ]


def platform_columns(platform: str) -> tuple[str, str]:
    label = str(Platform(platform).label)
    return label, f"{label} {_('followers')}"


class ExportAccount(NamedTuple):
    """What the export reads of an account (selectors.creator_directory_export)."""

    pk: int
    platform: str
    handle: str
    platform_id: str
    profile_url: str
    followers: int | None


class DirectoryRows(NamedTuple):
    """The directory as the export reads it: plain rows, no model instances (over thousands
    of creators, building and prefetching instances cost more than writing the file)."""

    creators: list[dict[str, Any]]
    accounts: dict[int, list[ExportAccount]]
    categories: dict[int, list[str]]


AccountT = TypeVar("AccountT", SocialAccount, ExportAccount)


def account_url(account: SocialAccount | ExportAccount) -> str:
    return account.profile_url or canonical_url(
        account.platform, account.handle, account.platform_id
    )


def by_followers(accounts: Iterable[AccountT]) -> list[AccountT]:
    """Biggest first, an account without a follower count last (whatever the database's
    ordering does with NULL)."""
    return sorted(accounts, key=lambda a: (a.followers is None, -(a.followers or 0), a.pk))


def directory_frame(directory: DirectoryRows) -> pd.DataFrame:
    """One row per creator, accounts spelled out per platform, every text cell neutralised.

    Over thousands of creators the per-row work is what costs: the column names, the choice
    labels and each platform's columns are translated once per call, not once per creator."""
    fixed = [str(column) for column in fixed_columns()]
    classifications = _labels(Classification)
    tiers = _labels(Tier)
    relationships = _labels(RelationshipStatus)
    columns_of = {platform: platform_columns(platform) for platform in Platform.values}
    rows, platforms = [], set()
    for creator in directory.creators:
        pk = creator["pk"]
        accounts = by_followers(directory.accounts.get(pk, ()))
        values = [
            creator["display_name"],
            creator["real_name"],
            account_url(accounts[0]) if accounts else "",
            classifications.get(creator["classification"], creator["classification"]),
            ", ".join(directory.categories.get(pk, ())),
            creator["region"],
            creator["total_followers"],
            tiers.get(creator["top_tier"], creator["top_tier"]),
            _float(creator["engagement_rate"]),
            _float(creator["engagement_stability"]),
            creator["authenticity_score"],
            creator["red_flags"],
            _float(creator["engagement_vs_tier"]),
            _float(creator["sponsored_vs_organic"]),
            _float(creator["min_price"]),
            creator["rate_currency"],
            relationships.get(creator["relationship_status"], creator["relationship_status"]),
        ]
        row = {column: neutralise(value) for column, value in zip(fixed, values, strict=True)}
        for account in accounts:
            url_column, followers_column = columns_of[account.platform]
            platforms.add(account.platform)
            if url_column not in row:
                row[url_column] = neutralise(account_url(account))
                row[followers_column] = account.followers
        rows.append(row)
    columns = fixed + [
        column
        for platform in Platform.values
        if platform in platforms
        for column in columns_of[platform]
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame = workbooks.whole_numbers(frame, [_("Lowest rate")])
    return workbooks.whole_numbers(frame, count_columns(columns))


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choice field's labels in the active language, as get_FOO_display gives them."""
    return {value: str(label) for value, label in choices.choices}


def count_columns(columns: list[str]) -> list[str]:
    followers = [platform_columns(p)[1] for p in Platform.values]
    counts = [_("Followers"), _("Authenticity"), _("Red flags"), *followers]
    return [column for column in columns if column in counts]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="Creators")
        workbooks.layout_sheet(writer.sheets["Creators"], frame, xlsx_formats(frame))
    return buffer.getvalue()


def xlsx_formats(frame: pd.DataFrame) -> workbooks.Formats:
    currency, rate = _("Currency"), _("Lowest rate")
    return {
        **dict.fromkeys(count_columns(list(frame.columns)), workbooks.COUNT),
        _("Engagement rate"): workbooks.PERCENT_FINE,
        _("Engagement variation (CV)"): workbooks.DECIMAL,
        _("Engagement against its tier (×)"): workbooks.RATIO,
        _("Sponsored vs organic (×)"): workbooks.RATIO,
        rate: [
            workbooks.money_format(code, value)
            for code, value in zip(frame[currency], frame[rate], strict=True)
        ]
        if len(frame)
        else [],
    }
