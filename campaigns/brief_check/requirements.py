"""The brief's requirements (hashtags, mentions, disclosure, link, promo code, forbidden words)
and the platforms' limits on a caption's length and hashtags."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from campaigns.brief_check.findings import BriefRules, Finding, Status
from campaigns.brief_check.text import HASHTAG, LINK_TOKEN, URL


@dataclass(frozen=True)
class CaptionLimit:
    characters: int
    hashtags: int | None = None
    x_weighted: bool = False  # counted the way X counts: CJK and emoji 2, every URL 23


CAPTION_LIMITS: dict[str, CaptionLimit] = {
    # Instagram Graph API, POST /{ig-user-id}/media `caption`: at most 2,200 characters.
    # Hashtags: 5 per post or reel since Instagram's December 2025 change (announced by Adam
    # Mosseri and @creators; API vendors such as Ayrshare now enforce 5). It used to be 30.
    "instagram": CaptionLimit(2200, hashtags=5),
    # TikTok Content Posting API, Direct Post `post_info.title` (the caption): 2,200. The app
    # lets some accounts write up to 4,000, but that is undocumented and varies by account.
    "tiktok": CaptionLimit(2200),
    # Threads API, "Posts": "Text posts are limited to 500 characters."
    "threads": CaptionLimit(500),
    # X developer docs, "Counting characters": 280, weighted (CJK and emoji count 2, URLs 23).
    "x": CaptionLimit(280, x_weighted=True),
    # Facebook: 63,206 characters per post, the long-standing composer limit that scheduling
    # tools enforce; Meta has no current page that states it.
    "facebook": CaptionLimit(63206),
    # YouTube Data API, videos resource `snippet.description`: 5,000. The API documents it in
    # UTF-8 bytes; like everywhere else we count characters, so all-CJK text may hit it sooner.
    "youtube": CaptionLimit(5000),
}
# The longest caption a draft may have: the most any platform takes (Facebook's), which also
# leaves room for blog and podcast text. The checks are linear, so this bounds their work.
MAX_CAPTION_LENGTH = max(limit.characters for limit in CAPTION_LIMITS.values())
# Each entry of a brief's lists is one search through the caption (about 2 ms for the longest),
# so the lists are bounded too: 30 hashtags (Instagram's limit per post for years, now 5), 20
# mentions (Instagram's limit of people tagged in a post), 100 forbidden words.
MAX_BRIEF_ENTRIES = {"hashtags": 30, "mentions": 20, "forbidden_words": 100}
# A format names its platform by prefix: ig_reel is Instagram, yt_short is YouTube.
_FORMAT_PREFIXES = {"ig": "instagram", "fb": "facebook", "yt": "youtube", "threads": "threads"}
# A story has no caption; blog posts and podcast notes have no platform limit.
_FORMATS_WITHOUT_LIMIT = frozenset({"ig_story", "blog", "podcast"})

_LATIN_WORD_CHAR = "[0-9A-Za-z\u00c0-\u024f_]"
_EDGE_PUNCTUATION = ".,!?;:()[]{}<>'\""


def caption_limit(rules: BriefRules) -> CaptionLimit | None:
    fmt = rules.format.strip().lower()
    if fmt in _FORMATS_WITHOUT_LIMIT:
        return None
    prefix = fmt.split("_")[0]
    by_format = CAPTION_LIMITS.get(_FORMAT_PREFIXES.get(prefix, prefix))
    return by_format or CAPTION_LIMITS.get(rules.platform.strip().lower())


# How a required hashtag or handle must appear: not glued to a word before it, and not
# continued after it. A handle may contain dots, so "@brand.tw" does not mention "@brand".
_TAG_PATTERNS = {
    "hashtags": ("#", r"(?<![A-Za-z0-9_&])#{}(?!\w)"),
    "mentions": ("@", r"(?<![A-Za-z0-9_.@])@{}(?![A-Za-z0-9_]|\.[A-Za-z0-9_])"),
}


def check_tags(code: str, text: str, values: tuple[str, ...]) -> Finding | None:
    sign, pattern = _TAG_PATTERNS[code]
    required = _cleaned(values, sign)
    if not required:
        return None
    missing = [tag for tag in required if not re.search(pattern.format(re.escape(tag)), text, re.I)]
    params: dict[str, object] = {
        "required": [sign + t for t in required],
        "missing": [sign + t for t in missing],
    }
    return Finding(code, Status.FAIL if missing else Status.PASS, params)


def check_term(code: str, text: str, term: str) -> Finding | None:
    term = term.strip()
    if not term:
        return None
    return Finding(code, Status.PASS if _contains_term(text, term) else Status.FAIL, {"term": term})


def check_link(text: str, link: str) -> Finding | None:
    link = link.strip()
    if not link:
        return None
    wanted = _normalised_url(link)
    found = bool(wanted) and any(_normalised_url(t) == wanted for t in LINK_TOKEN.findall(text))
    return Finding("link", Status.PASS if found else Status.FAIL, {"link": link})


def check_forbidden_words(text: str, words: tuple[str, ...]) -> Finding | None:
    words = tuple(word.strip() for word in words if word.strip())
    if not words:
        return None
    found = [word for word in words if _contains_term(text, word)]
    return Finding("forbidden_words", Status.FAIL if found else Status.PASS, {"found": found})


def check_length(text: str, limit: CaptionLimit) -> Finding:
    length = _x_weighted_length(text) if limit.x_weighted else len(text)
    if length > limit.characters:
        status = Status.FAIL
    elif length * 10 > limit.characters * 9:
        status = Status.WARN
    else:
        status = Status.PASS
    return Finding("length", status, {"length": length, "limit": limit.characters})


def check_hashtag_count(text: str, limit: int) -> Finding:
    count = len(HASHTAG.findall(text))
    status = Status.FAIL if count > limit else Status.PASS
    return Finding("hashtag_count", status, {"count": count, "limit": limit})


def _cleaned(values: Iterable[str], prefix: str) -> list[str]:
    """Brief entries without their '#'/'@', blanks dropped, case-insensitive duplicates merged."""
    unique: dict[str, str] = {}
    for value in values:
        value = value.strip().removeprefix(prefix).strip()
        if value:
            unique.setdefault(value.casefold(), value)
    return list(unique.values())


def _contains_term(text: str, term: str) -> bool:
    """Case-insensitive; a term's Latin edge must be a word edge, so "#ad" is not in "#adidas"
    and "cheap" is not in "cheapest", while CJK terms match anywhere."""
    pattern = re.escape(term)
    if re.fullmatch(_LATIN_WORD_CHAR, term[0]):
        pattern = f"(?<!{_LATIN_WORD_CHAR}){pattern}"
    if re.fullmatch(_LATIN_WORD_CHAR, term[-1]):
        pattern = f"{pattern}(?!{_LATIN_WORD_CHAR})"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _normalised_url(url: str) -> str:
    """A link as a reader compares it: no scheme, "www.", trailing slash or host case."""
    url = url.strip(_EDGE_PUNCTUATION + " ")
    try:
        parts = urlsplit(url if "://" in url else f"//{url}")
    except ValueError:  # e.g. an unbalanced "[" read as an IPv6 host
        return ""
    normalised = parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")
    if parts.query:
        normalised += f"?{parts.query}"
    if parts.fragment:
        normalised += f"#{parts.fragment}"
    return normalised


# Code points X counts as one; everything else (CJK, emoji, ...) counts as two.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
# Variation selectors and skin tones are part of the emoji before them. (Emoji joined with a
# zero-width joiner, flags and keycaps still count a little high.)
_X_WEIGHTLESS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def _x_weighted_length(text: str) -> int:
    rest = _X_WEIGHTLESS.sub("", URL.sub("", text))
    light = sum(any(low <= ord(char) <= high for low, high in _X_LIGHT_RANGES) for char in rest)
    return 23 * len(URL.findall(text)) + light + 2 * (len(rest) - light)  # a link is a t.co link
