"""Copy quality for a Taiwanese audience: no Simplified Chinese or mainland vocabulary, a space
between Chinese and Latin text, punctuation of the right width."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from campaigns.brief_check.findings import Finding, Status
from campaigns.brief_check.text import CJK, CJK_CHAR, MAX_SUGGESTIONS

if TYPE_CHECKING:
    from opencc import OpenCC

_LATIN_ALNUM = re.compile("[0-9A-Za-z\u00c0-\u024f]")
_GLUED = re.compile(f"(?=[{CJK}][0-9A-Za-z]|[0-9A-Za-z][{CJK}])")  # overlapping: 用iPhone拍
_MAX_EXAMPLES = 5


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


def check_simplified(text: str) -> Finding:
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
            if len(suggestions) == MAX_SUGGESTIONS:
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
        if spans and i1 - spans[-1][1] == 1 and CJK_CHAR.match(a[i1 - 1]):
            spans[-1] = (spans[-1][0], i2, spans[-1][2], j2)
        else:
            spans.append((i1, i2, j1, j2))
    return spans


# Grow a span by up to two characters each side, smallest growth first.
_GROWTHS = sorted(((left, right) for left in range(3) for right in range(3)), key=sum)
_CJK_ONLY = re.compile(f"[{CJK}]*")


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


def check_cjk_spacing(caption: str, prose: str) -> Finding:
    """The "pangu" convention: a space between CJK and Latin letters or digits (用 iPhone 拍)."""
    examples = [_snippet(caption, m.start(), m.start() + 2) for m in _GLUED.finditer(prose)]
    return _style_finding("cjk_spacing", examples)


_HALF_WIDTH = frozenset(",.!?:;()")
_FULL_WIDTH = frozenset("，。！？：；（）")
_NEXT_VISIBLE = re.compile(" *(.)")


def check_punctuation_width(caption: str, prose: str) -> Finding:
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
            if CJK_CHAR.match(before) or (char == "(" and CJK_CHAR.match(after)):
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
