"""What a spreadsheet column holds, read from its header. Pure; no database access.

Taiwanese creator sheets are written by hand, each agency its own way: combined headers
(`帳號/連結`), decorations (`IG帳號（連結）`, `粉絲數：`, line breaks inside a cell), a platform
inside the header (`IG粉絲數`, `YT頻道`, `FB粉專`) and a unit in the header (`粉絲數(萬)`,
`Followers (K)`). A header is read in three steps: its unit is taken out, then the platform it
names, then what is left is matched word by word against the fields' vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from creators.models import Platform
from creators.parsing import normalise_text


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


# The parts of an account a header may tie to one platform (IG粉絲數, YT頻道).
ACCOUNT_FIELDS = frozenset({"handle", "url", "followers", "following", "posts_count", "avg_views"})
# Fields whose numbers a unit in the header scales (粉絲數(萬): 3.5 is 35,000).
SCALED_FIELDS = frozenset({"followers", "following", "posts_count", "avg_views", "price"})

_UNIT_WORDS = {"k": 1_000, "千": 1_000, "w": 10_000, "萬": 10_000, "万": 10_000}
_UNIT_WORDS |= {"m": 1_000_000, "百萬": 1_000_000, "百万": 1_000_000, "億": 100_000_000}
_UNIT_ALTERNATIVES = "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))
# (萬), (單位:萬), (千人), (萬元), /萬 at the end of the header.
_UNIT = re.compile(
    rf"[(\[【]\s*(?:單位\s*:?\s*)?(?P<unit>{_UNIT_ALTERNATIVES})\s*(?:人|元|次)?\s*[)\]】]"
    rf"|/\s*(?P<tail>{_UNIT_ALTERNATIVES})\s*$",
    re.IGNORECASE,
)

# Platform names as headers write them; Latin ones only as whole words ("ig" is not in "big").
_PLATFORM_WORDS = {
    "instagram": Platform.INSTAGRAM,
    "insta": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM,
    "youtube": Platform.YOUTUBE,
    "yt": Platform.YOUTUBE,
    "facebook": Platform.FACEBOOK,
    "fb": Platform.FACEBOOK,
    "臉書": Platform.FACEBOOK,
    "tiktok": Platform.TIKTOK,
    "抖音": Platform.TIKTOK,
    "threads": Platform.THREADS,
    "twitter": Platform.X,
    "x": Platform.X,
    "推特": Platform.X,
    "blog": Platform.BLOG,
    "部落格": Platform.BLOG,
    "podcast": Platform.PODCAST,
}
_PLATFORM = re.compile(
    "|".join(
        rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word)
        for word in sorted(_PLATFORM_WORDS, key=len, reverse=True)
    )
)
# Words that name a platform's own kind of page: a Facebook fan page.
_IMPLIED_PLATFORM = {"粉專": Platform.FACEBOOK, "粉絲專頁": Platform.FACEBOOK}

# Each field's words, tried in this order on every part of a header; the first found wins.
# The order settles mixed headers: counts before names (網紅粉絲數 is a count), an account
# word before a loose name word (KOL帳號 is a handle), a name before a page (粉專名稱 is a name).
_LATIN = r"(?<![a-z]){}(?![a-z])"
_VOCABULARY: list[tuple[str, list[str]]] = [
    ("following", ["追蹤中", "追蹤的人", _LATIN.format("following")]),
    ("avg_views", ["觀看", "瀏覽", "點閱", _LATIN.format("(?:avg|average)?views?")]),
    (
        "followers",
        [
            "粉絲(?!專頁)",
            "追蹤",
            "訂閱",
            "fans",
            _LATIN.format("followers?"),
            _LATIN.format("subscribers?"),
        ],
    ),
    ("posts_count", ["貼文數", "文章數", _LATIN.format("posts?")]),
    ("platform", ["平台", "平臺", _LATIN.format("platform")]),
    ("email", ["mail", "信箱", "郵件", "郵箱"]),
    ("line_id", [_LATIN.format("line(?:id)?")]),
    ("phone", ["電話", "手機", "聯絡方式", _LATIN.format("(?:phone|mobile|tel)")]),
    (
        "price",
        ["報價", "費用", "價格", "價錢", "酬勞", "收費", _LATIN.format("(?:price|rate|fee)s?")],
    ),
    ("url", ["連結", "網址", "主頁", "個人頁", _LATIN.format("(?:url|link|profile)s?")]),
    ("handle", ["帳號", "帳戶", "用戶名", _LATIN.format("(?:id|handle|account|username)s?")]),
    ("real_name", ["本名", "真實姓名", "真名", _LATIN.format("realname")]),
    (
        "display_name",
        [
            "名稱",
            "名字",
            "暱稱",
            "姓名",
            _LATIN.format("(?:display)?name"),
            _LATIN.format("creator"),
        ],
    ),
    ("handle", ["頻道", "粉專", "粉絲專頁"]),
    (
        "display_name",
        ["網紅", "創作者", "部落客", _LATIN.format("kol"), _LATIN.format("influencer")],
    ),
    ("categories", ["類別", "分類", "領域", "類型", "題材", _LATIN.format("categor(?:y|ies)")]),
    ("region", ["地區", "縣市", "所在地", "居住地", "地點", _LATIN.format("region|location")]),
    ("city", ["城市", "區域", "鄉鎮", _LATIN.format("city")]),
    ("notes", ["備註", "附註", "說明", _LATIN.format("(?:notes?|remarks?|memo)")]),
    ("tags", ["標籤", "hashtag", _LATIN.format("tags?")]),
    ("bio", ["簡介", "自我介紹", _LATIN.format("(?:bio|description)")]),
    ("languages", ["語言", _LATIN.format("languages?")]),
    ("agent_name", ["經紀", "窗口", "聯絡人", _LATIN.format("(?:agent|manager)")]),
    ("classification", ["屬性", _LATIN.format("classification")]),
]
_FIELD_PATTERNS = [(name, re.compile("|".join(words))) for name, words in _VOCABULARY]
# A total over platforms (總粉絲數) is not one account's count, and KOLHub adds its own up.
_TOTAL = re.compile(r"總|合計|加總|(?<![a-z])(?:total|sum)(?![a-z])")

# Between the parts of a combined header: 帳號/連結, 帳號或連結, 名稱、暱稱, 帳號(連結).
_PART_SEPARATORS = re.compile(r"[/|、,;&()\[\]【】「」+]+|或|\bor\b|及|與")


def _clean(header: str) -> str:
    """NFKC (full-width brackets, colons and spaces become ASCII), one line, lower case, no
    trailing colon or asterisk (a "required" mark)."""
    text = normalise_text(str(header).replace("\n", " ").replace("\r", " ")).lower()
    return re.sub(r"\s+", " ", text).strip(" :*.")


def header_unit(header: str) -> int:
    """The multiplier a unit in the header gives its numbers: 10,000 for 粉絲數(萬); else 1."""
    match = _UNIT.search(_clean(header))
    if match is None:
        return 1
    return _UNIT_WORDS[(match["unit"] or match["tail"]).lower()]


def _header_platform(text: str) -> tuple[str, str]:
    """The one platform a header names and the header without it; "" when it names none or
    several (粉絲數(IG+FB) is not one platform's)."""
    found = {_PLATFORM_WORDS[m.group()] for m in _PLATFORM.finditer(text)}
    found |= {platform for word, platform in _IMPLIED_PLATFORM.items() if word in text}
    if len(found) != 1:
        return "", text
    return found.pop(), _PLATFORM.sub(" ", text)


def _part_field(part: str) -> str:
    compact = part.replace(" ", "")
    for name, pattern in _FIELD_PATTERNS:
        if pattern.search(part) or pattern.search(compact):
            return name
    return ""


def _combined_field(fields: list[str]) -> str:
    """One field for a combined header: a handle and a link together are where the account
    is (帳號/連結); otherwise the first part decides (粉絲數/追蹤數)."""
    if len(set(fields)) > 1 and set(fields) <= {"handle", "url"}:
        return "handle"
    return fields[0]


def map_column(header: str) -> ColumnRole | None:
    """The role a header gives its column, or None when the header says nothing known."""
    text = _UNIT.sub(" ", _clean(header))
    if not text or text.startswith("unnamed:"):
        return None
    platform, rest = _header_platform(text)
    fields = [f for f in map(_part_field, _PART_SEPARATORS.split(rest)) if f]
    if not fields:
        # A header that is a platform's name alone (IG, YouTube) holds its handles.
        bare = not re.sub(r"[\s():\-_.]+", "", rest)
        return ColumnRole("handle", platform) if platform and bare else None
    field_name = _combined_field(fields)
    if field_name in ACCOUNT_FIELDS - {"handle", "url"} and _TOTAL.search(rest):
        return None
    if field_name == "platform":
        return ColumnRole("platform")  # 平台(IG/FB/YT) lists the choices
    return ColumnRole(field_name, platform if field_name in ACCOUNT_FIELDS else "")
