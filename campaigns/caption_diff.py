"""Side-by-side changes between two versions of a draft's caption, with bounded work.

difflib.SequenceMatcher is quadratic, and worse when a long line has many small edits: each
longest-match search scans the rest of the line again, so a 40,000-character Chinese caption
changed every 50 characters took 99 s. Here lines are matched first, then the tokens of each
changed pair of lines (a run of Latin letters or digits is one token, any other character
another), after their common start and end are set aside. Every longest-match search is
charged its worst case against one budget per diff; a diff that would spend more is "too
different to compare", which the page says instead of a table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Units of work a diff may spend (one unit: one step of SequenceMatcher's inner loop, about
# 0.2 µs), so about 0.2 s on one core; bench/test_user_text_bounds.py times the worst shapes.
MAX_DIFF_WORK = 1_000_000
# What a row costs beyond its matching, in units: a changed pair of lines about 45 µs (tokens,
# a matcher, marking), an unchanged one about 2 µs (escaping). A caption of 60,000 one-letter
# lines is 60,000 rows.
CHANGED_ROW_COST = 250
EQUAL_ROW_COST = 10

_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+|.", re.DOTALL)


class TooDifferent(Exception):
    """The diff would cost more than its budget."""


@dataclass
class CaptionDiff:
    """The rows of the table, or too_different when comparing would cost too much."""

    rows: list[tuple[SafeString, SafeString]] = field(default_factory=list)
    too_different: bool = False
    work: int = 0  # units spent (never more than the budget), for tests and the benchmark

    def __bool__(self) -> bool:
        return bool(self.rows) or self.too_different


class _Budget:
    def __init__(self, units: int) -> None:
        self.units = units
        self.spent = 0

    def charge(self, units: int) -> None:
        """Account for work about to be done, or refuse it when it would pass the budget."""
        if self.spent + units > self.units:
            raise TooDifferent
        self.spent += units


class _BoundedMatcher(difflib.SequenceMatcher):
    """SequenceMatcher (with autojunk) that charges each search before making it."""

    def __init__(self, a: Sequence[str], b: Sequence[str], budget: _Budget) -> None:
        self.budget = budget
        self.lengths = len(a), len(b)
        budget.charge(len(a) + len(b))
        super().__init__(None, a, b)
        # The most places one element occurs in b: what the search loop visits per element
        # of a, at most (autojunk drops elements in over 1% of a long b).
        positions = self.b2j.values()  # type: ignore[attr-defined]
        self.widest = max(map(len, positions), default=0)

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = self.lengths[0] if ahi is None else ahi
        bhi = self.lengths[1] if bhi is None else bhi
        self.budget.charge((ahi - alo) * (self.widest + 2) + (bhi - blo))
        return super().find_longest_match(alo, ahi, blo, bhi)


def caption_diff(before: str, after: str, *, budget: int = MAX_DIFF_WORK) -> CaptionDiff:
    """Side-by-side rows of two captions, changed words marked with <del>/<ins>."""
    spending = _Budget(budget)
    try:
        rows = _rows(before.splitlines(), after.splitlines(), spending)
    except TooDifferent:
        return CaptionDiff(too_different=True, work=spending.spent)
    return CaptionDiff(rows=rows, work=spending.spent)


def _rows(left: list[str], right: list[str], budget: _Budget):
    rows: list[tuple[SafeString, SafeString]] = []
    for tag, i1, i2, j1, j2 in _BoundedMatcher(left, right, budget).get_opcodes():
        if tag == "equal":
            budget.charge(EQUAL_ROW_COST * (i2 - i1))
            # escape() returns safe strings: the unchanged lines carry no markup of ours.
            rows.extend(
                (escape(a), escape(b)) for a, b in zip(left[i1:i2], right[j1:j2], strict=True)
            )
            continue
        budget.charge(CHANGED_ROW_COST * max(i2 - i1, j2 - j1))
        for k in range(max(i2 - i1, j2 - j1)):
            a = left[i1 + k] if i1 + k < i2 else ""
            b = right[j1 + k] if j1 + k < j2 else ""
            rows.append(_marked_pair(a, b, budget))
    return rows


def _marked_pair(before: str, after: str, budget: _Budget) -> tuple[SafeString, SafeString]:
    if not before or not after:  # a line added or removed: nothing to match
        return _marked(before, "del"), _marked(after, "ins")
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    # Set aside what did not change at either end: a small edit to a long line costs little.
    start = _common_start(a, b)
    end = _common_start(a[start:][::-1], b[start:][::-1])
    left: list[str] = [escape("".join(a[:start]))]
    right: list[str] = [escape("".join(b[:start]))]
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    for tag, i1, i2, j1, j2 in _BoundedMatcher(middle_a, middle_b, budget).get_opcodes():
        old, new = escape("".join(middle_a[i1:i2])), escape("".join(middle_b[j1:j2]))
        if tag == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<del>{old}</del>")
        if new:
            right.append(f"<ins>{new}</ins>")
    left.append(escape("".join(a[len(a) - end :])))
    right.append(escape("".join(b[len(b) - end :])))
    # Every piece was escaped above; only our own <del>/<ins> tags are markup.
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308


def _marked(text: str, tag: str) -> SafeString:
    return mark_safe(f"<{tag}>{escape(text)}</{tag}>" if text else "")  # noqa: S308


def _common_start(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
