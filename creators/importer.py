"""Validate a creators spreadsheet (read by kolhub.spreadsheets) row by row. No database access.

Marketers' files differ: English or Chinese headers, counts written as 1.2萬 or 12.3K,
full-width digits, profile URLs where a handle is expected, one account per row or several
platforms side by side, UTF-8 (with or without BOM) or Big5/CP950.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.core.validators import validate_email
from django.forms import ValidationError
from django.utils.translation import gettext as _

from creators.audience_labels import canonical_region
from creators.import_accounts import AccountRow, Cell, row_accounts
from creators.import_headers import (
    ACCOUNT_FIELDS,
    SCALED_FIELDS,
    ColumnRole,
    header_unit,
    map_column,
)
from creators.models import Classification, Creator, DeliverableFormat, Platform
from creators.parsing import normalise_text, parse_count
from kolhub.spreadsheets import PROGRESS_EVERY_ROWS, ProgressCallback, RowError, header_names

__all__ = ["AccountRow", "ColumnRole", "CreatorRow", "ParsedImport", "map_column", "parse_table"]

RATE_FORMAT_BY_PLATFORM: dict[str, str] = {
    Platform.INSTAGRAM: DeliverableFormat.IG_POST,
    Platform.FACEBOOK: DeliverableFormat.FB_POST,
    Platform.YOUTUBE: DeliverableFormat.YT_VIDEO,
    Platform.TIKTOK: DeliverableFormat.TIKTOK,
    Platform.THREADS: DeliverableFormat.THREADS_POST,
    Platform.BLOG: DeliverableFormat.BLOG,
    Platform.PODCAST: DeliverableFormat.PODCAST,
}


# Creator fields imported as they are written (after normalise_text).
PLAIN_TEXT_FIELDS = frozenset(
    {"real_name", "region", "city", "phone", "line_id", "notes", "bio", "languages", "agent_name"}
)


@dataclass(slots=True)  # one per row of a file of up to 100,000: no __dict__ each
class CreatorRow:
    row: int
    display_name: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    accounts: list[AccountRow] = field(default_factory=list)
    price: Decimal | None = None


@dataclass
class ParsedImport:
    rows: list[CreatorRow]
    errors: list[RowError]
    columns: dict[str, ColumnRole | None]
    # Columns holding something that no field took: reported, so no data is dropped unseen.
    unmapped_columns: list[str] = field(default_factory=list)
    # The file's number of the first data row (below a title, the header may not be row 1).
    first_row: int = 2

    @property
    def invalid_rows(self) -> int:
        return len({error.row for error in self.errors if error.row})


_CREATOR_FIELDS = ("display_name", "handle", "url")
HEADER_SEARCH_ROWS = 10


def _header_score(columns: dict[str, ColumnRole | None]) -> int:
    """How much a row reads as a header: the roles it names, none without a creator's name,
    handle or link."""
    roles = {role for role in columns.values() if role}
    return len(roles) if any(r.field in _CREATOR_FIELDS for r in roles) else 0


def locate_header(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The table below its real header row, and the file's number of its first data row. A
    title and blank lines above the header (「2025 美妝KOL名單」) are common: one of the next
    rows that names clearly more columns than the first row is the header."""
    best, best_score = -1, _header_score(guess_columns(frame.columns))
    for index, values in enumerate(frame.head(HEADER_SEARCH_ROWS).itertuples(index=False)):
        score = _header_score(guess_columns(header_names([str(v) for v in values])))
        if score >= max(best_score + 2, 3):
            best, best_score = index, score
    if best < 0:
        return frame, 2
    table = frame.iloc[best + 1 :].reset_index(drop=True)
    table.columns = header_names([str(v) for v in frame.iloc[best]])
    return table, best + 3  # data row i is file row i + 2; the header is row best + 2


def guess_columns(headers) -> dict[str, ColumnRole | None]:
    """The role of each column as its header says. A second column of a role already taken
    keeps none (it is reported, not silently overwritten), except a second name: 姓名 beside
    網紅名稱 is the person's real name."""
    columns = {name: map_column(name) for name in headers}
    names = [name for name, role in columns.items() if role and role.field == "display_name"]
    taken = {role for role in columns.values() if role}
    if len(names) > 1 and ColumnRole("real_name") not in taken:
        personal = next((n for n in names if "姓名" in n or "real" in n.lower()), None)
        if personal is not None:
            columns[personal] = ColumnRole("real_name")
    seen: set[ColumnRole] = set()
    for name, role in columns.items():
        if role in seen:
            columns[name] = None
        elif role is not None:
            seen.add(role)
    return columns


_BLANK_HEADER = re.compile(r"^Unnamed: \d+(\.\d+)?$")  # pandas' name for a header cell left empty


def _unmapped(frame: pd.DataFrame, columns: dict[str, ColumnRole | None]) -> list[str]:
    """Columns no field took; a column without header and without data is not one."""
    return [
        name
        for name, role in columns.items()
        if role is None
        and (not _BLANK_HEADER.match(name) or frame[name].astype(str).str.strip().ne("").any())
    ]


def parse_table(
    frame: pd.DataFrame,
    mapping: dict[str, ColumnRole | None] | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> ParsedImport:
    """Validate every row; `mapping` overrides the column roles guessed from the headers;
    `on_progress` hears how many rows are done, every few thousand."""
    frame, first_row = locate_header(frame)
    columns = guess_columns(frame.columns)
    if mapping:
        columns.update({name: role for name, role in mapping.items() if name in columns})
    unmapped = _unmapped(frame, columns)
    if not any(r and r.field in ("display_name", "handle", "url") for r in columns.values()):
        # Reported as an error of the file (row 0), so the column mapping can still be fixed.
        message = _(
            "No column holds a creator's name, handle or profile URL. Expected headers such "
            "as 名稱, 帳號, 連結 or name, handle, url."
        )
        return ParsedImport([], [RowError(0, "", message)], columns, unmapped, first_row)
    # A repeated column name means its last column, as in a record of the row.
    position = {name: index for index, name in enumerate(frame.columns)}
    layout = [
        (position[name], name, role, header_unit(name) if role.field in SCALED_FIELDS else 1)
        for name, role in columns.items()
        if role
    ]
    rows: list[CreatorRow] = []
    errors: list[RowError] = []
    # A row at a time: the table as records (a dict a row) took as much memory as the table.
    for index, values in enumerate(frame.itertuples(index=False, name=None)):
        if on_progress and index and index % PROGRESS_EVERY_ROWS == 0:
            on_progress(index)
        row, row_errors = _parse_row(index + first_row, values, layout)
        errors.extend(row_errors)
        if not row_errors and row is not None:
            rows.append(row)
    _report_duplicates(rows, errors)
    invalid = {error.row for error in errors}
    rows = [row for row in rows if row.row not in invalid]
    return ParsedImport(rows, errors, columns, unmapped, first_row)


_Layout = list[tuple[int, str, ColumnRole, int]]  # each mapped column's position, name, role, unit


def _parse_row(number: int, values: tuple, layout: _Layout):
    row = CreatorRow(row=number)
    errors: list[RowError] = []
    generic: dict[str, Cell] = {}
    per_platform: dict[str, dict[str, Cell]] = {}
    for position, column, role, unit in layout:
        value = normalise_text(str(values[position]))
        if value.lower() in _NOTHING:
            continue
        cells = per_platform.setdefault(role.platform, {}) if role.platform else generic
        cells[role.field] = Cell(column, value, unit)
    if not generic and not per_platform:
        return None, []  # a blank line
    if _is_heading(generic, per_platform):
        cell = next(iter(generic.values()))
        message = _("Row %(row)s holds only “%(text)s”: a heading or a note, not a creator.")
        return None, [
            RowError(number, cell.column, message % {"row": number, "text": cell.value[:40]})
        ]

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for name, cell in generic.items():
        if name in ACCOUNT_FIELDS or name == "platform":
            continue
        try:
            _apply_field(row, name, cell)
        except ValueError as exc:
            fail(cell.column, str(exc))
    account_parts = {k: c for k, c in generic.items() if k in ACCOUNT_FIELDS or k == "platform"}
    row.accounts = row_accounts(number, account_parts, per_platform, fail)
    if not row.display_name:
        if row.accounts:
            row.display_name = row.accounts[0].handle
        elif not errors:
            name_column = next((c for _p, c, r, _u in layout if r.field == "display_name"), "")
            fail(name_column, _("A creator needs a name or an account."))
    return row, errors


_MAX_LENGTHS: dict[str, int | None] = {
    name: getattr(Creator._meta.get_field(name), "max_length", None)
    for name in (*PLAIN_TEXT_FIELDS - {"notes", "bio"}, "display_name", "email")
}


# What sheets write in a cell to say "none". Not words that are also names (Null, None, NA)
# nor x, a platform's name.
_NOTHING = frozenset({"", "-", "--", "—", "–", "/", "n/a", "無", "沒有", "未提供"})

# 【美妝】, [美食], ※以上報價皆未稅, *未稅, 註：…, 備註：…
_HEADING = re.compile(r"^(?:【.*】|\[.*\]|[※*＊#]|註\s*[:：0-9]|備註\s*[:：])")


def _is_heading(generic: dict[str, Cell], per_platform: dict) -> bool:
    """A row of one cell that reads as a section heading or a footnote."""
    return (
        not per_platform
        and len(generic) == 1
        and bool(_HEADING.match(next(iter(generic.values())).value))
    )


def _apply_field(row: CreatorRow, name: str, cell: Cell) -> None:
    value = cell.value
    limit = _MAX_LENGTHS.get(name)
    if limit and len(value) > limit:
        raise ValueError(
            _("Too long: %(length)s characters, at most %(limit)s.")
            % {"length": len(value), "limit": limit}
        )
    if name == "display_name":
        row.display_name = value
    elif name == "categories":
        row.categories = _split_list(value)
    elif name == "tags":
        row.tags = [t.lstrip("#") for t in _split_list(value)]
    elif name == "price":
        row.price = _parse_price(value, cell.unit)
    elif name == "email":
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError(
                _("“%(value)s” is not an email address.") % {"value": value[:60]}
            ) from None
        row.fields["email"] = value.lower()
    elif name == "classification":
        row.fields["classification"] = _parse_classification(value)
    elif name == "region":
        row.fields["region"] = canonical_region(value)  # 臺北, 台北 and Taipei are one region
    elif name in PLAIN_TEXT_FIELDS:
        row.fields[name] = value


def _split_list(value: str) -> list[str]:
    """The labels of a cell. Interned: a file's rows repeat a few labels (美妝, 生活), which
    were a string each per row, 100,000 of them in a 50,000-row file."""
    parts = re.split(r"[,、;；/|]+", value)
    return list(dict.fromkeys(sys.intern(p.strip()[:60]) for p in parts if p.strip()))


def _parse_price(value: str, unit: int = 1) -> Decimal:
    """`NT$8,000`, `1.2萬`, `8K`; a plain number in a column headed 報價(萬) is in 萬."""
    text = re.sub(r"(?i)nt\$|ntd|twd|\$|元|,|\s", "", value)
    try:
        if re.search(r"[萬万千kK]", text):
            price = Decimal(parse_count(text) or 0)
        else:
            price = Decimal(text) * unit
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(value)s” is not a price.") % {"value": value[:40]}) from None
    if price < 0:
        raise ValueError(_("A price cannot be negative."))
    if price > Decimal("1e11"):
        raise ValueError(_("%(value)s is too large to be a price.") % {"value": value[:40]})
    return price.quantize(Decimal("0.01"))


def _parse_classification(value: str) -> str:
    key = value.strip().lower()
    if key in {"kol", "關鍵意見領袖", "專家"}:
        return Classification.KOL
    if key in {"influencer", "網紅", "網路紅人"}:
        return Classification.INFLUENCER
    raise ValueError(_("Use KOL or influencer (網紅), not “%(value)s”.") % {"value": value[:30]})


def _report_duplicates(rows: list[CreatorRow], errors: list[RowError]) -> None:
    """The same account on two rows of different creators is an error; same creator is fine."""
    owner_of: dict[tuple[str, str], CreatorRow] = {}
    for row in rows:
        for account in row.accounts:
            key = (account.platform, account.handle)
            first = owner_of.setdefault(key, row)
            if first is not row and first.display_name != row.display_name:
                errors.append(
                    RowError(
                        row.row,
                        "",
                        _("%(platform)s @%(handle)s is already on row %(first)s for “%(name)s”.")
                        % {
                            "platform": Platform(account.platform).label,
                            "handle": account.handle,
                            "first": first.row,
                            "name": first.display_name,
                        },
                    )
                )
