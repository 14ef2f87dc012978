"""A spreadsheet row's social accounts, from the cells the header mapping gave them. Pure.

The platform a row states (a 平台 column, or the header: IG帳號) wins over guessing from the
value: `mei.eats.taichung` on an Instagram row is that Instagram handle, not a website. Only
a real URL is parsed to its platform, and a link to another platform than the row states is an
error. Counts and a platform that no handle or link can carry are a row error, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from creators.models import Platform
from creators.parsing import clean_handle, parse_count, parse_platform, parse_profile_url

COUNT_FIELDS = ("followers", "following", "posts_count", "avg_views")
LOCATION_FIELDS = ("url", "handle")  # where the account is; a real URL is preferred


class Cell(NamedTuple):
    """A non-empty cell: its column, its text, and the unit its header gives numbers."""

    column: str
    value: str
    unit: int = 1


Fail = Callable[[str, str], None]


@dataclass(slots=True)  # one or more per row of a file of up to 100,000: no __dict__ each
class AccountRow:
    platform: str
    handle: str
    url: str = ""
    platform_id: str = ""
    followers: int | None = None
    following: int | None = None
    posts_count: int | None = None
    avg_views: int | None = None


_SOCIAL_HOSTS = (
    "instagram.com",
    "instagr.am",
    "facebook.com",
    "fb.com",
    "youtube.com",
    "youtu.be",
    "tiktok.com",
    "threads.net",
    "threads.com",
    "x.com",
    "twitter.com",
)
# Endings that make a bare `name.ending` a website when the row names no platform. A handle
# may hold dots too (mei.eats.taichung): without a known ending, it needs its platform.
_WEBSITE_ENDINGS = frozenset(
    "com net org tw io co me cc info blog xyz app dev page site online store shop asia hk jp "  # noqa: SIM905
    "biz tv fm link ly ee so studio life club today design art photo photos news media".split()
)
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
_MOBILE = re.compile(r"^(?:m|mobile|web)\.")


def is_link(value: str, platform: str = "") -> bool:
    """Whether a cell is a URL rather than a handle. A handle of a social platform may look
    like a domain (cat.trips.tw): on a row of that platform it is a handle."""
    if value.startswith("@") or ("." not in value and "/" not in value):
        return False
    if "://" in value or value.lower().startswith("www."):
        return True
    host, slash, _path = value.partition("/")
    host = _MOBILE.sub("", host.lower())
    if host in _SOCIAL_HOSTS:
        return True
    if not _DOMAIN.match(host):
        return False
    if slash:
        return True  # a domain and a path: pixnet.net/blog/mei
    websites = ("", Platform.BLOG, Platform.PODCAST)
    return platform in websites and host.rsplit(".", 1)[-1] in _WEBSITE_ENDINGS


def account_at(platform: str, value: str, *, link: bool | None = None) -> AccountRow:
    """The account a handle or link names on the row's platform ("" when the row names
    none); ValueError with a message for the user. `link` when is_link is known already."""
    if is_link(value, platform) if link is None else link:
        profile = parse_profile_url(value)
        website = platform == Platform.PODCAST and profile.platform == Platform.BLOG
        if platform and profile.platform != platform and not website:
            raise ValueError(
                _("“%(value)s” is a link to %(found)s, but the platform is %(expected)s.")
                % {
                    "value": value[:60],
                    "found": Platform(profile.platform).label,
                    "expected": Platform(platform).label,
                }
            )
        return AccountRow(
            platform or profile.platform, profile.handle, profile.url, profile.platform_id
        )
    if platform in (Platform.BLOG, Platform.PODCAST):
        site = parse_profile_url(value)
        return AccountRow(platform, site.handle, site.url)
    if not platform:
        raise ValueError(_("Give the platform of this handle, or a profile URL."))
    return AccountRow(platform, clean_handle(platform, value))


def _no_account_message(row: int) -> str:
    return _(
        "Row %(row)s has a platform or a follower count but no handle or profile URL: add "
        "the account's handle or link, or clear those cells."
    ) % {"row": row}


def _ambiguous_count_message(row: int, column: str, accounts: list[AccountRow]) -> str:
    return _(
        "Row %(row)s: “%(column)s” could be the count of any of its accounts (%(platforms)s): "
        "put each platform's count in a column of its own, such as IG粉絲數 or YT訂閱數."
    ) % {
        "row": row,
        "column": column,
        "platforms": ", ".join(str(Platform(a.platform).label) for a in accounts),
    }


def _says_something(parts: dict[str, Cell]) -> bool:
    """Whether cells without a handle hold something that would be lost: a platform, or a
    count (a dash or a zero beside no account is the sheet saying "none")."""
    if "platform" in parts:
        return True
    for name in COUNT_FIELDS:
        if name in parts:
            try:
                if parse_count(parts[name].value):
                    return True
            except ValueError:
                return True
    return False


def _set_counts(account: AccountRow, parts: dict[str, Cell], fail: Fail, *, fill=False) -> None:
    for name in COUNT_FIELDS:
        if name not in parts or (fill and getattr(account, name) is not None):
            continue
        cell = parts[name]
        try:
            setattr(account, name, parse_count(cell.value, unit=cell.unit))
        except ValueError as exc:
            fail(cell.column, str(exc))


def _located(platform: str, parts: dict[str, Cell], fail: Fail) -> AccountRow | None:
    """The account of cells that include a handle or link, or None after reporting why."""
    if not platform and "platform" in parts:
        try:
            platform = parse_platform(parts["platform"].value)
        except ValueError as exc:
            fail(parts["platform"].column, str(exc))
            return None
    cells = [parts[name] for name in LOCATION_FIELDS if name in parts]
    links = [c for c in cells if is_link(c.value, platform)]
    where = links[0] if links else cells[-1]
    try:
        account = account_at(platform, where.value, link=bool(links))
    except ValueError as exc:
        fail(where.column, str(exc))
        return None
    _set_counts(account, parts, fail)
    return account


def row_accounts(
    number: int,
    generic: dict[str, Cell],
    per_platform: dict[str, dict[str, Cell]],
    fail: Fail,
) -> list[AccountRow]:
    """The row's accounts: one from its generic columns (平台, 帳號, 粉絲數) and one per platform
    named in headers (IG帳號, YT訂閱數). Counts of a platform whose handle is elsewhere on the
    row go to that account; anything else without a handle or link is a row error."""
    accounts: list[AccountRow] = []
    loose: list[tuple[str, dict[str, Cell]]] = []
    groups = _platform_column_first(generic, per_platform)
    for platform, parts in groups:
        if parts.keys() & set(LOCATION_FIELDS):
            if account := _located(platform, parts, fail):
                accounts.append(account)
        elif _says_something(parts):
            loose.append((platform, parts))
    for platform, parts in loose:
        if accounts and parts.keys() == {"platform"}:
            continue  # 平台 beside IG and YT columns only says what those say
        owner = _owner(platform, parts, accounts)
        if owner is None:
            first_cell = parts.get("platform") or next(iter(parts.values()))
            ambiguous = len(accounts) > 1 and not platform and "platform" not in parts
            message = (
                _ambiguous_count_message(number, first_cell.column, accounts)
                if ambiguous
                else _no_account_message(number)
            )
            fail(first_cell.column, message)
        else:
            _set_counts(owner, parts, fail, fill=True)
    return accounts


def _platform_column_first(
    generic: dict[str, Cell], per_platform: dict[str, dict[str, Cell]]
) -> list[tuple[str, dict[str, Cell]]]:
    """The row's groups of cells, each with the platform its header names ("" for none).
    A row whose only handle column names a platform (IG帳號) but whose 平台 column names
    another is one account of the platform column's platform: the header was the sheet's
    usual case, the platform column is this row's."""
    located = [p for p, parts in per_platform.items() if parts.keys() & set(LOCATION_FIELDS)]
    if "platform" in generic and len(located) == 1 and not generic.keys() & set(LOCATION_FIELDS):
        merged = {**per_platform[located[0]], **generic}
        others = [(p, parts) for p, parts in per_platform.items() if p != located[0]]
        return [("", merged), *others]
    return [("", generic), *per_platform.items()]


def _owner(platform: str, parts: dict[str, Cell], accounts: list[AccountRow]) -> AccountRow | None:
    """The account counts without a handle belong to: the row's account on their platform,
    or the row's only account when they name none."""
    if not platform and "platform" in parts:
        try:
            platform = parse_platform(parts["platform"].value)
        except ValueError:
            return None
    if platform:
        return next((a for a in accounts if a.platform == platform), None)
    # A plain 追蹤人數 beside IG and YT columns belongs to the one account that has no count
    # of its own (YT訂閱 gave YouTube's); with two such accounts nobody can tell.
    counted = [name for name in COUNT_FIELDS if name in parts]
    waiting = [a for a in accounts if all(getattr(a, name) is None for name in counted)]
    return waiting[0] if len(waiting) == 1 else None
