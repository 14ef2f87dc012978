"""Automatic check of a draft caption against a campaign brief.

check_caption() returns a checklist: the brief's requirements first, then copy quality for a
Taiwanese audience. Findings hold only codes and JSON-safe params so they can be stored;
describe() words them in the language that is active when the page renders.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise
    from opencc import OpenCC
    from spellchecker import SpellChecker


@dataclass(frozen=True)
class BriefRules:
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    disclosure: str = ""
    required_link: str = ""
    promo_code: str = ""
    forbidden_words: tuple[str, ...] = ()
    platform: str = ""
    format: str = ""


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 (not a password)
    FAIL = "fail"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: str
    status: Status
    params: dict[str, object] = field(default_factory=dict)


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
# A format names its platform by prefix: ig_reel is Instagram, yt_short is YouTube.
_FORMAT_PREFIXES = {"ig": "instagram", "fb": "facebook", "yt": "youtube", "threads": "threads"}
# A story has no caption; blog posts and podcast notes have no platform limit.
_FORMATS_WITHOUT_LIMIT = frozenset({"ig_story", "blog", "podcast"})

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LATIN_ALNUM = re.compile("[0-9A-Za-z\u00c0-\u024f]")
_LATIN_WORD_CHAR = "[0-9A-Za-z\u00c0-\u024f_]"
# A link ends at whitespace, quotes, CJK text or full-width punctuation.
_LINK_STOP = f"\\s<>\"'{_CJK}\u3000-\u303f\uff00-\uffef"
_URL = re.compile(
    rf"(?:https?://|www\.)[^{_LINK_STOP}]+"
    r"|(?<![A-Za-z0-9.@-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    rf"\.(?:com|net|org|tw|hk|io|co|me|ly|cc|app|shop)(?![A-Za-z0-9-])(?:/[^{_LINK_STOP}]*)?",
    re.IGNORECASE,
)
_LINK_TOKEN = re.compile(f"[^{_LINK_STOP}]+")
_EDGE_PUNCTUATION = ".,!?;:()[]{}<>'\""
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Chinese may touch a tag (好用#開箱), a Latin letter may not (C#, hi@brand.tw is an email).
_MENTION = re.compile(r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_.]+")
_HASHTAG = re.compile(r"(?<![A-Za-z0-9_&])#\w*[^\W\d]\w*")  # "#1" is not a hashtag
_GLUED = re.compile(f"(?=[{_CJK}][0-9A-Za-z]|[0-9A-Za-z][{_CJK}])")  # overlapping: 用iPhone拍
_WORD = re.compile("[0-9A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)*")
_MASK = "\x00"  # same-length stand-in, so indexes into a masked text still point into the caption

_MAX_SUGGESTIONS = 20
_MAX_EXAMPLES = 5


def check_caption(caption: str, rules: BriefRules) -> list[Finding]:
    """Every applicable check yields one Finding, brief requirements first, then copy quality."""
    linkless = _mask(caption, _EMAIL, _URL)
    prose = _mask(linkless, _MENTION, _HASHTAG)  # only what a reader reads as sentences
    findings = [
        _check_tags("hashtags", linkless, rules.hashtags),
        _check_tags("mentions", linkless, rules.mentions),
        _check_term("disclosure", caption, rules.disclosure),
        _check_link(caption, rules.required_link),
        _check_term("promo_code", caption, rules.promo_code),
        _check_forbidden_words(caption, rules.forbidden_words),
    ]
    limit = caption_limit(rules)
    if limit:
        findings.append(_check_length(caption, limit))
        if limit.hashtags is not None:
            findings.append(_check_hashtag_count(linkless, limit.hashtags))
    if _CJK_CHAR.search(caption):
        findings.append(_check_simplified(caption))
        findings.append(_check_cjk_spacing(caption, prose))
        findings.append(_check_punctuation_width(caption, prose))
    if any(_is_letters(word.group()) for word in _WORD.finditer(prose)):  # any English at all
        findings.append(_check_spelling(prose, rules))
    return [finding for finding in findings if finding is not None]


def caption_limit(rules: BriefRules) -> CaptionLimit | None:
    fmt = rules.format.strip().lower()
    if fmt in _FORMATS_WITHOUT_LIMIT:
        return None
    prefix = fmt.split("_")[0]
    by_format = CAPTION_LIMITS.get(_FORMAT_PREFIXES.get(prefix, prefix))
    return by_format or CAPTION_LIMITS.get(rules.platform.strip().lower())


def findings_to_json(findings: list[Finding]) -> list[dict]:
    return [{"code": f.code, "status": f.status.value, "params": f.params} for f in findings]


def findings_from_json(data: list[dict]) -> list[Finding]:
    return [Finding(d["code"], Status(d["status"]), dict(d.get("params") or {})) for d in data]


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys((status.value for status in Status), 0)
    for finding in findings:
        counts[finding.status.value] += 1
    return counts


# --- Brief requirements -------------------------------------------------------------------


# How a required hashtag or handle must appear: not glued to a word before it, and not
# continued after it. A handle may contain dots, so "@brand.tw" does not mention "@brand".
_TAG_PATTERNS = {
    "hashtags": ("#", r"(?<![A-Za-z0-9_&])#{}(?!\w)"),
    "mentions": ("@", r"(?<![A-Za-z0-9_.@])@{}(?![A-Za-z0-9_]|\.[A-Za-z0-9_])"),
}


def _check_tags(code: str, text: str, values: tuple[str, ...]) -> Finding | None:
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


def _check_term(code: str, text: str, term: str) -> Finding | None:
    term = term.strip()
    if not term:
        return None
    return Finding(code, Status.PASS if _contains_term(text, term) else Status.FAIL, {"term": term})


def _check_link(text: str, link: str) -> Finding | None:
    link = link.strip()
    if not link:
        return None
    wanted = _normalised_url(link)
    found = bool(wanted) and any(_normalised_url(t) == wanted for t in _LINK_TOKEN.findall(text))
    return Finding("link", Status.PASS if found else Status.FAIL, {"link": link})


def _check_forbidden_words(text: str, words: tuple[str, ...]) -> Finding | None:
    words = tuple(word.strip() for word in words if word.strip())
    if not words:
        return None
    found = [word for word in words if _contains_term(text, word)]
    return Finding("forbidden_words", Status.FAIL if found else Status.PASS, {"found": found})


def _check_length(text: str, limit: CaptionLimit) -> Finding:
    length = _x_weighted_length(text) if limit.x_weighted else len(text)
    if length > limit.characters:
        status = Status.FAIL
    elif length * 10 > limit.characters * 9:
        status = Status.WARN
    else:
        status = Status.PASS
    return Finding("length", status, {"length": length, "limit": limit.characters})


def _check_hashtag_count(text: str, limit: int) -> Finding:
    count = len(_HASHTAG.findall(text))
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
    rest = _X_WEIGHTLESS.sub("", _URL.sub("", text))
    light = sum(any(low <= ord(char) <= high for low, high in _X_LIGHT_RANGES) for char in rest)
    return 23 * len(_URL.findall(text)) + light + 2 * (len(rest) - light)  # a link is a t.co link


# --- Copy quality -----------------------------------------------------------------------------


@functools.cache
def _opencc(config: str) -> OpenCC:
    import opencc

    return opencc.OpenCC(config)


# Words of OpenCC's Taiwan phrase table (mostly IT vocabulary) that are everyday Taiwanese too,
# where s2twp's rewrite is wrong in a caption: 謝謝大家的支持 is not 支援, 導入精華 is not 匯入,
# 包羅萬象 is not 包羅永珍, 駿馬奔馳 is not 賓士. Only their characters get converted.
_EVERYDAY_TAIWANESE = (
    "支持 打開 添加 導入 導出 類型 項目 設備 設置 消息 菜單 程序 進程 保存 查看 發佈 "
    "發送 聲明 局部 觸摸 社區 循環 高級 高端 低級 對象 實例 數據 參數 權限 用戶 連接 "
    "聯繫 文件 字體 圖像 信號 性能 性價比 代碼 點擊 自行車 優化 刷新 禁用 屏蔽 擴展 "
    "通信 兼容 壁紙 窗口 指針 腳本 綁定 持久性 鏡像 奔馳 萬象 呼出 仿真 溢出 拋出"
)
# Characters that s2twp swaps for another form although Taiwan writes both (台北 → 臺北, 周末 →
# 週末, 了解 → 瞭解), and surnames it reads as Simplified (余 → 餘, 游 → 遊, 范 → 範).
_ACCEPTED_IN_TAIWAN = dict(
    zip(
        "台周了占布借搜酸凶雇污祕脣樑喫余游范杰涂朴",
        "臺週瞭佔佈藉蒐痠兇僱汙秘唇梁吃餘遊範傑塗樸",
        strict=True,
    )
)


@functools.cache
def _everyday_words() -> re.Pattern[str]:
    words = set(_EVERYDAY_TAIWANESE.split())
    words |= {_opencc("t2s").convert(word) for word in words}  # as Simplified input spells them
    return re.compile("(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")")


def _to_taiwanese(text: str) -> str:
    """OpenCC s2twp, but characters only (s2tw) for the everyday words."""
    pieces = _everyday_words().split(text)  # odd pieces are the everyday words
    return "".join(_opencc("s2tw" if i % 2 else "s2twp").convert(p) for i, p in enumerate(pieces))


def _check_simplified(text: str) -> Finding:
    suggestions = _taiwanese_suggestions(text)
    status = Status.WARN if suggestions else Status.PASS
    return Finding("simplified", status, {"suggestions": suggestions})


# OpenCC rewrites within a phrase, never across punctuation or spaces; diffing clause by clause
# keeps SequenceMatcher, which is quadratic, fast on a 60,000-character Facebook post.
_CLAUSE = re.compile(r"[^\s，。！？；：、,.!?;:]{1,200}")


def _taiwanese_suggestions(text: str) -> list[list[str]]:
    suggestions: list[list[str]] = []
    if _to_taiwanese(text) == text:
        return suggestions
    for clause in _CLAUSE.findall(text):
        for pair in _clause_suggestions(clause):
            if pair not in suggestions:
                suggestions.append(pair)
            if len(suggestions) == _MAX_SUGGESTIONS:
                return suggestions
    return suggestions


def _clause_suggestions(clause: str) -> Iterator[list[str]]:
    converted = _to_taiwanese(clause)
    if converted == clause:
        return
    # OpenCC expects Simplified input: its phrase tables are keyed by Simplified words, so in
    # Traditional text an ambiguous character falls back to its default (干擾 → 幹擾, 里長 →
    # 裡長, 濃郁 → 濃鬱). Converting the clause's Simplified form gives the phrase tables their
    # chance; a change that does not survive that second opinion is OpenCC misreading.
    second_opinion = _to_taiwanese(_opencc("t2s").convert(clause))
    confirmed = {
        i for i1, i2, _, _ in _changed_spans(clause, second_opinion) for i in range(i1, i2)
    }
    for span in _changed_spans(clause, converted):
        if confirmed.isdisjoint(range(span[0], span[1])):
            continue
        i1, i2, j1, j2 = _whole_phrase(clause, converted, *span)
        pair = [clause[i1:i2], converted[j1:j2]]
        if all(pair) and not _only_accepted_variants(*pair):
            yield pair


def _changed_spans(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """Where b differs from a, as (a_start, a_end, b_start, b_end), one span per changed word."""
    spans: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # 鼠标 → 滑鼠 diffs as "insert 滑, keep 鼠, drop 标": one CJK character between two
        # changes is part of the same word.
        if spans and i1 - spans[-1][1] == 1 and _CJK_CHAR.match(a[i1 - 1]):
            spans[-1] = (spans[-1][0], i2, spans[-1][2], j2)
        else:
            spans.append((i1, i2, j1, j2))
    return spans


# Grow a span by up to two characters each side, smallest growth first.
_GROWTHS = sorted(((left, right) for left in range(3) for right in range(3)), key=sum)
_CJK_ONLY = re.compile(f"[{_CJK}]*")


def _whole_phrase(a: str, b: str, i1: int, i2: int, j1: int, j2: int) -> tuple[int, int, int, int]:
    """The smallest CJK span around a change that converts the same on its own, so a suggestion
    shows the whole word: 程序员 → 程式設計師, not 序员 → 式設計師."""
    for left, right in _GROWTHS:
        start, end = i1 - left, i2 + right
        if start < 0 or end > len(a) or not _CJK_ONLY.fullmatch(a[start:i1] + a[i2:end]):
            continue  # grow over CJK only; OpenCC never changes Latin words
        if _to_taiwanese(a[start:end]) == b[j1 - left : j2 + right]:
            return start, end, j1 - left, j2 + right
    return i1, i2, j1, j2


def _only_accepted_variants(original: str, suggested: str) -> bool:
    return len(original) == len(suggested) and all(
        o == s or _ACCEPTED_IN_TAIWAN.get(o) == s for o, s in zip(original, suggested, strict=True)
    )


def _check_cjk_spacing(caption: str, prose: str) -> Finding:
    """The "pangu" convention: a space between CJK and Latin letters or digits (用 iPhone 拍)."""
    examples = [_snippet(caption, m.start(), m.start() + 2) for m in _GLUED.finditer(prose)]
    return _style_finding("cjk_spacing", examples)


_HALF_WIDTH = frozenset(",.!?:;()")
_FULL_WIDTH = frozenset("，。！？：；（）")
_NEXT_VISIBLE = re.compile(" *(.)")


def _check_punctuation_width(caption: str, prose: str) -> Finding:
    examples = [_snippet(caption, i, i + 1) for i in _wrong_width_punctuation(prose)]
    return _style_finding("punctuation_width", examples)


def _wrong_width_punctuation(text: str) -> Iterator[int]:
    """Half-width marks after CJK (好用!) and full-width marks between Latin words (Hi，there).
    Decimals (3.5) and times (10:30) follow a digit, so they are never flagged; nor is "..."."""
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char in _HALF_WIDTH:
            if char == "." and "." in (before, after):
                continue
            if _CJK_CHAR.match(before) or (char == "(" and _CJK_CHAR.match(after)):
                yield i
        elif char in _FULL_WIDTH and _LATIN_ALNUM.match(before):
            next_visible = _NEXT_VISIBLE.match(text, i + 1)
            if next_visible and _LATIN_ALNUM.match(next_visible.group(1)):
                yield i


def _style_finding(code: str, examples: list[str]) -> Finding:
    status = Status.WARN if examples else Status.PASS
    unique_examples = list(dict.fromkeys(examples))[:_MAX_EXAMPLES]
    return Finding(code, status, {"count": len(examples), "examples": unique_examples})


def _snippet(text: str, start: int, end: int, context: int = 4) -> str:
    start, end = max(0, start - context), min(len(text), end + context)
    while start > 0 and _LATIN_ALNUM.match(text[start - 1]):  # do not cut a word in half
        start -= 1
    while end < len(text) and _LATIN_ALNUM.match(text[end]):
        end += 1
    return " ".join(text[start:end].split())


# Social-media words that the general English dictionary lacks.
_EXTRA_ENGLISH_WORDS = (
    "hashtag hashtags vlog vlogs vlogger unboxing influencer influencers selfie selfies "
    "livestream livestreaming collab collabs storytime youtuber youtubers tiktok tiktoker "
    "instagram skincare haircare ootd lol omg tbh bff spf giveaway giveaways glowy dewy"
)
# British spellings are not mistakes: "colour" is fine because "color" is known.
_BRITISH_TO_AMERICAN = {
    "our": "or",
    "ise": "ize",
    "ising": "izing",
    "isation": "ization",
    "yse": "yze",
    "tre": "ter",
    "ence": "ense",
}


@functools.cache
def _spell_checker() -> SpellChecker:
    from spellchecker import SpellChecker

    # Edit distance 1 answers in microseconds and covers most typos (recieve, definately,
    # amazng); distance 2 takes about a second a word, too slow for a page, so "tommorow" is
    # still flagged but without a suggestion.
    checker = SpellChecker(language="en", distance=1)
    checker.word_frequency.load_text(_EXTRA_ENGLISH_WORDS)
    return checker


def _check_spelling(prose: str, rules: BriefRules) -> Finding:
    checker = _spell_checker()
    skip = _rule_words(rules)
    misspelled: dict[str, list[str]] = {}
    for match in _WORD.finditer(prose):
        word = match.group()
        lower = word.lower().replace("’", "'")
        if lower in skip or lower in misspelled or not _worth_checking(prose, match):
            continue
        if not _is_known(checker, lower):
            misspelled[lower] = [word, _suggestion(checker, lower, capitalise=word[0].isupper())]
        if len(misspelled) == _MAX_SUGGESTIONS:
            break
    words = list(misspelled.values())
    return Finding("spelling", Status.WARN if words else Status.PASS, {"words": words})


def _worth_checking(text: str, match: re.Match[str]) -> bool:
    """Skip short words, words with digits, ALL-CAPS, camelCase brands (iPhone) and capitalised
    words inside a sentence, which are names far more often than typos."""
    word = match.group()
    if len(word) < 3 or not _is_letters(word) or word.isupper() or not word[1:].islower():
        return False
    before = match.start() - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return word[0].islower() or before < 0 or text[before] in ".!?。！？\n…"


def _is_letters(word: str) -> bool:
    return word.replace("'", "").replace("’", "").isalpha()


def _rule_words(rules: BriefRules) -> set[str]:
    """Brand handles, tags and codes from the brief are spelled as the brand wants."""
    values = (*rules.hashtags, *rules.mentions, *rules.forbidden_words, rules.promo_code)
    return {word.lower() for value in values for word in re.findall("[A-Za-z']+", value)}


def _is_known(checker: SpellChecker, word: str) -> bool:
    # Only the last occurrence changes: "moisturiser" → "moisturizer", not "moizturizer".
    return word in checker or any(
        british in word and american.join(word.rsplit(british, 1)) in checker
        for british, american in _BRITISH_TO_AMERICAN.items()
    )


def _suggestion(checker: SpellChecker, word: str, *, capitalise: bool) -> str:
    suggestion = checker.correction(word)
    if not suggestion or suggestion == word:  # very long words come back unchanged
        return ""
    return suggestion[:1].upper() + suggestion[1:] if capitalise else suggestion


def _mask(text: str, *patterns: re.Pattern[str]) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: _MASK * len(m.group()), text)
    return text


# --- Wording --------------------------------------------------------------------------------


def describe(finding: Finding) -> str:
    """One sentence for the checklist, in the active language (call it when rendering)."""
    message = _MESSAGES.get((finding.code, finding.status))
    if message is None:  # stored by a newer version of this module
        return f"{finding.code}: {finding.status.value}"
    return message % _display_values(finding.params)


class _Number(int):
    """Prints with the active language's thousands separator, still picks plural forms."""

    def __str__(self) -> str:
        return number_format(int(self), force_grouping=True)


def _display_values(params: dict[str, object]) -> dict[str, object]:
    """Params as the messages show them; a list also gives its length as "<name>_count"."""
    values: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, list):
            items = [
                " → ".join(filter(None, map(str, v))) if isinstance(v, list) else str(v)
                for v in value
            ]
            if key == "examples":
                # Chinese quotes with 「」, English with “”: the translator decides.
                quoted = pgettext("quoted example", "“%(text)s”")
                items = [quoted % {"text": item} for item in items]
            values[key] = pgettext("list separator", ", ").join(items)
            values[f"{key}_count"] = _Number(len(value))
        else:
            values[key] = _Number(value) if isinstance(value, int) else value
    return values


# Evaluated lazily, so each message is translated when describe() is called, not at import.
_PASS, _WARN, _FAIL = Status.PASS, Status.WARN, Status.FAIL
_MESSAGES: dict[tuple[str, Status], _StrPromise] = {
    ("hashtags", _PASS): gettext_lazy("All required hashtags are included: %(required)s."),
    ("hashtags", _FAIL): ngettext_lazy(
        "Missing required hashtag: %(missing)s.",
        "Missing required hashtags: %(missing)s.",
        "missing_count",
    ),
    ("mentions", _PASS): gettext_lazy("All required mentions are included: %(required)s."),
    ("mentions", _FAIL): ngettext_lazy(
        "Missing required mention: %(missing)s.",
        "Missing required mentions: %(missing)s.",
        "missing_count",
    ),
    ("disclosure", _PASS): gettext_lazy("The disclosure “%(term)s” is included."),
    ("disclosure", _FAIL): gettext_lazy("The disclosure “%(term)s” is missing."),
    ("link", _PASS): gettext_lazy("The required link %(link)s is included."),
    ("link", _FAIL): gettext_lazy("The required link %(link)s is missing."),
    ("promo_code", _PASS): gettext_lazy("The promo code %(term)s is included."),
    ("promo_code", _FAIL): gettext_lazy("The promo code %(term)s is missing."),
    ("forbidden_words", _PASS): gettext_lazy("No forbidden words are used."),
    ("forbidden_words", _FAIL): ngettext_lazy(
        "Forbidden word used: %(found)s.", "Forbidden words used: %(found)s.", "found_count"
    ),
    ("length", _PASS): gettext_lazy("Length is fine: %(length)s of %(limit)s characters."),
    ("length", _WARN): gettext_lazy("Close to the limit: %(length)s of %(limit)s characters."),
    ("length", _FAIL): gettext_lazy("Too long: %(length)s of %(limit)s characters."),
    ("hashtag_count", _PASS): ngettext_lazy(
        "%(count)s hashtag, within the limit of %(limit)s.",
        "%(count)s hashtags, within the limit of %(limit)s.",
        "count",
    ),
    ("hashtag_count", _FAIL): gettext_lazy("Too many hashtags: %(count)s, the limit is %(limit)s."),
    ("simplified", _PASS): gettext_lazy("No Simplified Chinese or mainland vocabulary found."),
    ("simplified", _WARN): gettext_lazy(
        "Simplified Chinese or mainland vocabulary; in Taiwan write: %(suggestions)s."
    ),
    ("cjk_spacing", _PASS): gettext_lazy("Chinese is spaced from Latin letters and digits."),
    ("cjk_spacing", _WARN): ngettext_lazy(
        "%(count)s place needs a space between Chinese and Latin letters or digits: %(examples)s.",
        "%(count)s places need a space between Chinese and Latin letters or digits: %(examples)s.",
        "count",
    ),
    ("punctuation_width", _PASS): gettext_lazy(
        "Punctuation is full-width in Chinese and half-width in English."
    ),
    ("punctuation_width", _WARN): ngettext_lazy(
        "%(count)s punctuation mark has the wrong width for its text: %(examples)s.",
        "%(count)s punctuation marks have the wrong width for their text: %(examples)s.",
        "count",
    ),
    ("spelling", _PASS): gettext_lazy("No English spelling mistakes found."),
    ("spelling", _WARN): ngettext_lazy(
        "Possible spelling mistake: %(words)s.",
        "Possible spelling mistakes: %(words)s.",
        "words_count",
    ),
}
