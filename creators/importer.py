"""Validate a creators spreadsheet (read by kolhub.spreadsheets) row by row. No database access.

Marketers' files differ: English or Chinese headers, counts written as 1.2萬 or 12.3K,
full-width digits, profile URLs where a handle is expected, one account per row or several
platforms side by side, UTF-8 (with or without BOM) or Big5/CP950.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.core.validators import validate_email
from django.forms import ValidationError
from django.utils.translation import gettext as _

from creators.audience_labels import canonical_region
from creators.models import Classification, Creator, DeliverableFormat, Platform
from creators.parsing import (
    clean_handle,
    normalise_text,
    parse_count,
    parse_platform,
    parse_profile_url,
)
from kolhub.spreadsheets import PROGRESS_EVERY_ROWS, ProgressCallback, RowError


def _key(header: str) -> str:
    return re.sub(r"[\s_\-:：()（）/／.]+", "", normalise_text(str(header))).lower()


_FIELD_SYNONYMS = {
    "display_name": [
        "name",
        "displayname",
        "creator",
        "kol",
        "名稱",
        "姓名",
        "名字",
        "暱稱",
        "創作者",
        "網紅",
        "網紅名稱",
        "kol名稱",
    ],
    "real_name": ["realname", "本名", "真實姓名"],
    "platform": ["platform", "平台", "社群平台"],
    "handle": ["handle", "account", "username", "帳號", "帳號名稱", "id", "帳號id"],
    "url": ["url", "link", "profileurl", "profile", "連結", "網址", "個人頁面", "主頁"],
    "followers": [
        "followers",
        "followercount",
        "subscribers",
        "粉絲數",
        "粉絲",
        "追蹤數",
        "追蹤者",
        "訂閱數",
        "訂閱",
        "粉絲人數",
    ],
    "following": ["following", "追蹤中"],
    "posts_count": ["posts", "postcount", "貼文數", "貼文"],
    "avg_views": ["avgviews", "averageviews", "平均觀看", "平均觀看數", "平均觀看次數"],
    "categories": ["category", "categories", "分類", "類別", "領域", "類型"],
    "region": ["region", "地區", "縣市", "所在地", "地點"],
    "city": ["city", "城市", "區域"],
    "email": ["email", "e-mail", "mail", "信箱", "電子郵件", "電子信箱"],
    "phone": ["phone", "mobile", "電話", "手機", "聯絡電話"],
    "line_id": ["line", "lineid"],
    "price": ["price", "rate", "fee", "報價", "價格", "費用", "合作費用"],
    "notes": ["notes", "note", "remarks", "備註", "說明", "附註"],
    "tags": ["tags", "tag", "標籤"],
    "bio": ["bio", "description", "簡介", "自我介紹"],
    "languages": ["languages", "language", "語言"],
    "agent_name": ["agent", "manager", "經紀人", "經紀公司"],
    "classification": ["classification", "kolinfluencer", "屬性", "kol網紅"],
}
FIELD_BY_KEY = {_key(s): name for name, synonyms in _FIELD_SYNONYMS.items() for s in synonyms}
_PLATFORM_PREFIXES = {
    "instagram": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM,
    "youtube": Platform.YOUTUBE,
    "yt": Platform.YOUTUBE,
    "facebook": Platform.FACEBOOK,
    "fb": Platform.FACEBOOK,
    "臉書": Platform.FACEBOOK,
    "tiktok": Platform.TIKTOK,
    "threads": Platform.THREADS,
    "twitter": Platform.X,
    "x": Platform.X,
    "blog": Platform.BLOG,
    "部落格": Platform.BLOG,
    "podcast": Platform.PODCAST,
}
_ACCOUNT_PARTS = {
    "": "handle",
    **{k: f for k, f in FIELD_BY_KEY.items() if f in ("handle", "url", "followers", "avg_views")},
}
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


@dataclass(frozen=True)
class ColumnRole:
    """What a column holds: a creator field, or a part of one platform's account."""

    field: str
    platform: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.field}" if self.platform else self.field

    @classmethod
    def from_key(cls, key: str) -> ColumnRole | None:
        if not key:
            return None
        platform, _, field_name = key.rpartition(":")
        return cls(field_name, platform)


def map_column(header: str) -> ColumnRole | None:
    key = _key(header)
    if key in FIELD_BY_KEY:
        return ColumnRole(FIELD_BY_KEY[key])
    for prefix in sorted(_PLATFORM_PREFIXES, key=len, reverse=True):
        if key.startswith(prefix) and key[len(prefix) :] in _ACCOUNT_PARTS:
            return ColumnRole(_ACCOUNT_PARTS[key[len(prefix) :]], _PLATFORM_PREFIXES[prefix])
    return None


@dataclass
class AccountRow:
    platform: str
    handle: str
    url: str = ""
    platform_id: str = ""
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    avg_views: int | None = None


@dataclass
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

    @property
    def ignored_columns(self) -> list[str]:
        return [name for name, role in self.columns.items() if role is None]

    @property
    def invalid_rows(self) -> int:
        return len({error.row for error in self.errors if error.row})


def parse_table(
    frame: pd.DataFrame,
    mapping: dict[str, ColumnRole | None] | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> ParsedImport:
    """Validate every row; `mapping` overrides the column roles guessed from the headers;
    `on_progress` hears how many rows are done, every few thousand."""
    columns = {name: map_column(name) for name in frame.columns}
    if mapping:
        columns.update({name: role for name, role in mapping.items() if name in columns})
    if not any(r and r.field in ("display_name", "handle", "url") for r in columns.values()):
        # Reported as an error of the file (row 0), so the column mapping can still be fixed.
        message = _(
            "No column holds a creator's name, handle or profile URL. Expected headers such "
            "as 名稱, 帳號, 連結 or name, handle, url."
        )
        return ParsedImport(rows=[], errors=[RowError(0, "", message)], columns=columns)
    rows: list[CreatorRow] = []
    errors: list[RowError] = []
    records = frame.to_dict("records")
    for index, record in enumerate(records):
        if on_progress and index and index % PROGRESS_EVERY_ROWS == 0:
            on_progress(index)
        row, row_errors = _parse_row(index + 2, record, columns)  # row 1 is the header
        errors.extend(row_errors)
        if not row_errors and row is not None:
            rows.append(row)
    _report_duplicates(rows, errors)
    invalid = {error.row for error in errors}
    rows = [row for row in rows if row.row not in invalid]
    return ParsedImport(rows=rows, errors=errors, columns=columns)


def _parse_row(number: int, record: dict, columns: dict[str, ColumnRole | None]):
    row = CreatorRow(row=number)
    errors: list[RowError] = []
    generic: dict[str, tuple[str, str]] = {}
    per_platform: dict[str, dict[str, tuple[str, str]]] = {}
    for column, role in columns.items():
        value = normalise_text(str(record.get(column, "")))
        if role is None or value == "":
            continue
        if role.platform:
            per_platform.setdefault(role.platform, {})[role.field] = (column, value)
        else:
            generic[role.field] = (column, value)
    if not generic and not per_platform:
        return None, []  # a blank line

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for name, (column, value) in generic.items():
        try:
            _apply_field(row, name, value)
        except ValueError as exc:
            fail(column, str(exc))
    account_parts = {
        k: v
        for k, v in generic.items()
        if k in ("platform", "handle", "url", "followers", "following", "posts_count", "avg_views")
    }
    if account_parts.keys() & {"handle", "url"}:
        _add_account(row, "", account_parts, fail)
    for platform, parts in per_platform.items():
        _add_account(row, platform, parts, fail)
    if not row.display_name:
        if row.accounts:
            row.display_name = row.accounts[0].handle
        else:
            fail(_first_column(columns, "display_name"), _("A creator needs a name or an account."))
    return row, errors


def _first_column(columns: dict[str, ColumnRole | None], field_name: str) -> str:
    return next((c for c, r in columns.items() if r and r.field == field_name), "")


_MAX_LENGTHS: dict[str, int | None] = {
    name: getattr(Creator._meta.get_field(name), "max_length", None)
    for name in (*PLAIN_TEXT_FIELDS - {"notes", "bio"}, "display_name", "email")
}


def _apply_field(row: CreatorRow, name: str, value: str) -> None:
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
        row.price = _parse_price(value)
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
    parts = re.split(r"[,、;；/|]+", value)
    return list(dict.fromkeys(p.strip()[:60] for p in parts if p.strip()))


def _parse_price(value: str) -> Decimal:
    text = re.sub(r"(?i)nt\$|ntd|twd|\$|元|,|\s", "", value)
    try:
        price = Decimal(parse_count(text) or 0) if re.search(r"[萬万千kK]", text) else Decimal(text)
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


def _add_account(row: CreatorRow, platform: str, parts: dict[str, tuple[str, str]], fail) -> None:
    """One account from its parts; a URL wins over platform + handle when both are given."""
    try:
        if "url" in parts:
            profile = parse_profile_url(parts["url"][1])
            if platform and profile.platform not in (platform, Platform.BLOG):
                raise ValueError(
                    _("This URL is a %(found)s profile, in a %(expected)s column.")
                    % {
                        "found": Platform(profile.platform).label,
                        "expected": Platform(platform).label,
                    }
                )
            account = AccountRow(profile.platform, profile.handle, profile.url, profile.platform_id)
        else:
            column, handle = parts["handle"]
            if "://" in handle or handle.startswith(("www.", "instagram.com", "youtube.com")):
                profile = parse_profile_url(handle)
                account = AccountRow(
                    profile.platform, profile.handle, profile.url, profile.platform_id
                )
            else:
                if not platform:
                    if "platform" not in parts:
                        raise ValueError(_("Give the platform of this handle, or a profile URL."))
                    try:
                        platform = parse_platform(parts["platform"][1])
                    except ValueError as exc:
                        fail(parts["platform"][0], str(exc))
                        return
                account = AccountRow(platform, clean_handle(platform, handle))
    except (ValueError, KeyError) as exc:
        column = (parts.get("url") or parts.get("handle") or parts.get("platform") or ("", ""))[0]
        if isinstance(exc, KeyError):
            return  # counts without a handle: nothing to attach them to
        fail(column, str(exc))
        return
    for count_field in ("followers", "following", "posts_count", "avg_views"):
        if count_field in parts:
            column, value = parts[count_field]
            try:
                setattr(account, count_field, parse_count(value))
            except ValueError as exc:
                fail(column, str(exc))
    row.accounts.append(account)


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
