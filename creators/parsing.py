"""Pure parsers for what marketers paste and type: follower counts and profile URLs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from creators.models import Platform
from kolhub.formatting import grouped

# Counts above this are typos, not audiences (the biggest accounts have well under 10⁹).
MAX_COUNT = 5_000_000_000

_UNITS = {
    "k": 1_000,
    "千": 1_000,
    "w": 10_000,
    "萬": 10_000,
    "万": 10_000,
    "m": 1_000_000,
    "百萬": 1_000_000,
    "百万": 1_000_000,
    "億": 100_000_000,
    "亿": 100_000_000,
    "b": 1_000_000_000,
}
_COUNT = re.compile(r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>k|w|m|b|千|萬|万|百萬|百万|億|亿)?$")
_NOISE = re.compile(r"[\s,_'’]|人|位|粉絲|粉丝|followers?|subscribers?|訂閱", re.IGNORECASE)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(value: str) -> str:
    """Full-width letters, digits and punctuation to ASCII; control characters out; trimmed.

    (PostgreSQL refuses NUL in text, and no spreadsheet cell means one.)
    """
    return _CONTROL.sub("", unicodedata.normalize("NFKC", value)).strip()


def parse_count(value: object, *, unit: int = 1) -> int | None:
    """`12,300`, `1.2萬`, `12.3K`, `1.5M`, `3千`, `１２３` → an int; empty → None. A number
    without a unit of its own is in `unit`s (3.5 in a column headed 粉絲數(萬) is 35,000).

    Raises ValueError with a message for the user when the text is not a count.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("Not a number."))
    if isinstance(value, int):
        number = Decimal(value) * unit
    elif isinstance(value, float):
        if value != value:  # NaN: an empty spreadsheet cell
            return None
        number = Decimal(str(value)) * unit
    else:
        text = _NOISE.sub("", normalise_text(str(value))).lower().rstrip("+")
        if text in {"", "-", "—", "n/a", "na"}:
            return None
        if text.startswith("-"):
            raise ValueError(_("A count cannot be negative."))
        match = _COUNT.match(text)
        if not match:
            raise ValueError(
                _("“%(value)s” is not a count (examples: 12,300, 1.2萬, 12.3K, 1.5M).")
                % {"value": str(value).strip()[:40]}
            )
        try:
            number = Decimal(match["number"]) * _UNITS.get(match["unit"] or "", unit)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            raise ValueError(_("Not a number.")) from None
    if number < 0:
        raise ValueError(_("A count cannot be negative."))
    # Compared before int(): turning a Decimal of n digits into an int takes time growing
    # with n² (0.5 s for a cell of 100,000 digits), and Python refuses to print one of more
    # than 4,300 digits.
    rounded = number.to_integral_value()
    if rounded > MAX_COUNT:
        shown = grouped(rounded) if rounded.adjusted() < 20 else f"{str(value).strip()[:20]}…"
        raise ValueError(_("%(count)s is too large to be a real count.") % {"count": shown})
    return int(rounded)


@dataclass(frozen=True)
class Profile:
    platform: str
    handle: str
    url: str
    platform_id: str = ""


_HOSTS = {
    "instagram.com": Platform.INSTAGRAM,
    "instagr.am": Platform.INSTAGRAM,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "youtube.com": Platform.YOUTUBE,
    "tiktok.com": Platform.TIKTOK,
    "threads.net": Platform.THREADS,
    "threads.com": Platform.THREADS,
    "x.com": Platform.X,
    "twitter.com": Platform.X,
}
# First path segments that are pages of the platform, not profiles.
_NOT_PROFILES = {
    Platform.INSTAGRAM: {"p", "reel", "reels", "stories", "explore", "tv", "accounts"},
    Platform.FACEBOOK: {"groups", "events", "watch", "share", "sharer", "login", "photo"},
    Platform.X: {"i", "home", "search", "intent", "share", "hashtag"},
    Platform.TIKTOK: {"tag", "music", "discover"},
}
_HANDLE = re.compile(r"^[\w.\-]{1,100}$", re.UNICODE)


def canonical_url(platform: str, handle: str, platform_id: str = "") -> str:
    if platform == Platform.YOUTUBE:
        if platform_id and handle == platform_id:
            return f"https://www.youtube.com/channel/{platform_id}"
        return f"https://www.youtube.com/@{handle}"
    patterns: dict[str, str] = {
        Platform.INSTAGRAM: "https://www.instagram.com/{}/",
        Platform.FACEBOOK: "https://www.facebook.com/{}",
        Platform.TIKTOK: "https://www.tiktok.com/@{}",
        Platform.THREADS: "https://www.threads.net/@{}",
        Platform.X: "https://x.com/{}",
    }
    if platform in patterns:
        return patterns[platform].format(handle)
    return f"https://{handle}"


_CHANNEL_ID = re.compile(r"^UC[\w-]{22}$")
MAX_HANDLE = 120


def clean_handle(platform: str, handle: str) -> str:
    """The stored form of a handle: no @, lower-case (YouTube channel ids keep their case)."""
    handle = normalise_text(handle).lstrip("@").strip("/")
    if len(handle) > MAX_HANDLE:
        raise ValueError(
            _("A handle or address of at most %(limit)s characters, please.")
            % {"limit": MAX_HANDLE}
        )
    if platform == Platform.YOUTUBE and _CHANNEL_ID.match(handle):
        return handle
    if platform in (Platform.BLOG, Platform.PODCAST):
        return handle.lower().removeprefix("www.")
    if not _HANDLE.match(handle):
        raise ValueError(_("“%(handle)s” is not a valid handle.") % {"handle": handle[:40]})
    return handle.lower()


def parse_profile_url(value: str) -> Profile:
    """Platform and handle from a pasted profile URL; an unknown site is a blog/website."""
    text = normalise_text(value)
    if not text:
        raise ValueError(_("Empty URL."))
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if not host or "." not in host or " " in text:
        raise ValueError(_("“%(url)s” is not a URL.") % {"url": value.strip()[:60]})
    bare_host = re.sub(r"^(www|m|mobile|web|vm|vt)\.", "", host)
    platform = _HOSTS.get(bare_host)
    segments = [s for s in parts.path.split("/") if s]
    if platform is None:
        site = clean_handle(Platform.BLOG, bare_host + parts.path.rstrip("/"))
        return Profile(Platform.BLOG, site, f"https://{site}")
    if platform == Platform.FACEBOOK and segments[:1] == ["profile.php"]:
        profile_id = parse_qs(parts.query).get("id", [""])[0]
        if not profile_id.isdigit():
            raise ValueError(_("This Facebook URL has no profile id."))
        return Profile(platform, profile_id, canonical_url(platform, profile_id), profile_id)
    if platform == Platform.YOUTUBE:
        return _youtube_profile(segments, value)
    if not segments or segments[0].lower() in _NOT_PROFILES.get(platform, set()):
        raise ValueError(
            _("“%(url)s” is a post or page, not a profile on %(platform)s.")
            % {"url": value.strip()[:60], "platform": Platform(platform).label}
        )
    first = segments[0]
    if platform in (Platform.TIKTOK, Platform.THREADS) and not first.startswith("@"):
        raise ValueError(
            _("A %(platform)s profile URL looks like …/@handle.")
            % {"platform": Platform(platform).label}
        )
    handle = clean_handle(platform, first)
    return Profile(platform, handle, canonical_url(platform, handle))


def _youtube_profile(segments: list[str], original: str) -> Profile:
    if segments and segments[0].startswith("@"):
        handle = clean_handle(Platform.YOUTUBE, segments[0])
        return Profile(Platform.YOUTUBE, handle, canonical_url(Platform.YOUTUBE, handle))
    if len(segments) >= 2 and segments[0] == "channel" and _CHANNEL_ID.match(segments[1]):
        channel = segments[1]
        return Profile(
            Platform.YOUTUBE, channel, canonical_url(Platform.YOUTUBE, channel, channel), channel
        )
    if len(segments) >= 2 and segments[0] in ("c", "user"):
        handle = clean_handle(Platform.YOUTUBE, segments[1])
        return Profile(
            Platform.YOUTUBE, handle, f"https://www.youtube.com/{segments[0]}/{segments[1]}"
        )
    raise ValueError(
        _("“%(url)s” is not a YouTube channel URL (…/@handle or …/channel/UC…).")
        % {"url": original.strip()[:60]}
    )


_PLATFORM_NAMES = {
    "instagram": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM,
    "insta": Platform.INSTAGRAM,
    "facebook": Platform.FACEBOOK,
    "fb": Platform.FACEBOOK,
    "臉書": Platform.FACEBOOK,
    "youtube": Platform.YOUTUBE,
    "yt": Platform.YOUTUBE,
    "tiktok": Platform.TIKTOK,
    "抖音": Platform.TIKTOK,
    "threads": Platform.THREADS,
    "x": Platform.X,
    "twitter": Platform.X,
    "推特": Platform.X,
    "blog": Platform.BLOG,
    "website": Platform.BLOG,
    "部落格": Platform.BLOG,
    "網站": Platform.BLOG,
    "網誌": Platform.BLOG,
    "podcast": Platform.PODCAST,
    "播客": Platform.PODCAST,
}


def parse_platform(value: str) -> str:
    """`IG`, `Instagram`, `臉書`, `YouTube` … → a Platform value."""
    key = re.sub(r"\s+", "", normalise_text(value)).lower()
    try:
        return _PLATFORM_NAMES[key]
    except KeyError:
        raise ValueError(
            _("Unknown platform “%(value)s”. Use one of: %(choices)s.")
            % {
                "value": value.strip()[:30],
                "choices": ", ".join(str(label) for label in Platform.labels),
            }
        ) from None
