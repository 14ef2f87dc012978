"""What users type and upload, at 100,000 characters (or rows) of the shapes that made one
function or another do work growing with the square of its input: each well under 0.5 s.

The review page's caption diff, the audience share lines, follower counts, the merge of
imported rows of one creator, and the brief check against the fullest brief a form takes.
"""

from __future__ import annotations

import itertools
import random
import string

import pytest

from campaigns.brief_check import MAX_BRIEF_ENTRIES, MAX_CAPTION_LENGTH, BriefRules, check_caption
from campaigns.caption_diff import caption_diff
from creators.audience import parse_shares
from creators.importer import AccountRow, CreatorRow
from creators.parsing import parse_count
from creators.services.imports import _merge_rows

LENGTH = 100_000
BUDGET_SECONDS = 0.5
_CJK = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]


def _chinese(length: int, seed: int = 1, alphabet: list[str] = _CJK) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def _edited(text: str, every: int) -> str:
    return "".join("X" if i % every == 0 else char for i, char in enumerate(text))


def _lines(numbers) -> str:
    return "\n".join(str(n) for n in numbers)


# Before and after of a draft's caption. With difflib on characters the first took 99 s at
# 40,000 characters: every longest-match search read the rest of the line again.
DIFFS = {
    "one line, an edit every 50 characters": lambda: (
        _chinese(LENGTH),
        _edited(_chinese(LENGTH), 50),
    ),
    "one line, an edit every 50 characters, at 10,000": lambda: (
        _chinese(10_000),
        _edited(_chinese(10_000), 50),
    ),
    "two unrelated lines of 300 characters": lambda: (
        _chinese(LENGTH, 1, _CJK[:300]),
        _chinese(LENGTH, 2, _CJK[:300]),
    ),
    "every line changed": lambda: (
        _lines(range(LENGTH // 6)),
        _lines(i * 7 for i in range(LENGTH // 6)),
    ),
    "empty lines against lines": lambda: ("\n" * LENGTH, "x\n" * (LENGTH // 2)),
    "one edit in one long line": lambda: (
        _chinese(LENGTH),
        _chinese(LENGTH)[: LENGTH // 2] + "X" + _chinese(LENGTH)[LENGTH // 2 + 1 :],
    ),
    "words shuffled": lambda: (
        " ".join(random.Random(1).choice(["tea", "cup", "hot", "cold"]) for _ in range(20_000)),
        " ".join(random.Random(2).choice(["tea", "cup", "hot", "cold"]) for _ in range(20_000)),
    ),
}


@pytest.mark.parametrize("shape", list(DIFFS))
def test_caption_diff(budget, benchmark, shape):
    before, after = DIFFS[shape]()
    diff = benchmark.pedantic(caption_diff, args=(before, after), rounds=3, iterations=1)
    assert diff
    outcome = "too different" if diff.too_different else f"{len(diff.rows):,} rows"
    budget(f"caption diff, {len(before):,} characters: {shape} ({outcome})", BUDGET_SECONDS)


# Share lines: the share pattern searched from every digit of a run (5,000 digits and a letter
# took 1.2 s; 40,000 took 53 s). The form takes 2,000 characters; the parser is timed alone.
SHARES = {
    "digits and a letter": "1" * LENGTH + "x",
    "dotted digits and a letter": "1." * (LENGTH // 2) + "x",
    "digits and spaces": "1 " * (LENGTH // 2) + "x",
    "a bucket, then spaces": "a" + " " * LENGTH + "x",
}


@pytest.mark.parametrize("shape", list(SHARES))
def test_share_lines(budget, benchmark, shape):
    def parse() -> None:
        with pytest.raises(ValueError):
            parse_shares(SHARES[shape])

    benchmark.pedantic(parse, rounds=3, iterations=1)
    budget(f"share lines, {len(SHARES[shape]):,} characters: {shape}", BUDGET_SECONDS)


# Counts: a Decimal of n digits turned into an int takes time growing with n² (0.5 s here).
COUNTS = {
    "digits": "9" * LENGTH,
    "digits in 萬": "1" * LENGTH + "萬",
    "digits, grouped": "1,000" * 20_000,
}


@pytest.mark.parametrize("shape", list(COUNTS))
def test_parse_count(budget, benchmark, shape):
    def parse() -> None:
        with pytest.raises(ValueError):
            parse_count(COUNTS[shape])

    benchmark.pedantic(parse, rounds=3, iterations=1)
    budget(f"follower count, {len(COUNTS[shape]):,} characters: {shape}", BUDGET_SECONDS)


def _rows(names) -> list[CreatorRow]:
    return [
        CreatorRow(
            row=i + 2,
            display_name=name,
            tags=[f"tag{i}"],
            categories=[f"category{i}"],
            accounts=[AccountRow("instagram", f"handle{i}")],
        )
        for i, name in enumerate(names)
    ]


# Rows of one name were merged by rebuilding the creator's lists at every row: 48 s for 10,000.
# 100,000 rows is the most an import reads, in the worker, not a request: its budget is 2 s.
# Distinct names are the everyday case, as fast as before (most of it is Python's garbage
# collector walking 100,000 rows' objects).
MERGES = {
    "100,000 rows of one creator": lambda: _rows(itertools.repeat("小美日常", LENGTH)),
    "100,000 creators": lambda: _rows(f"creator {i}" for i in range(LENGTH)),
}


@pytest.mark.parametrize("shape", list(MERGES))
def test_import_merge(budget, benchmark, shape):
    rows = MERGES[shape]()
    benchmark.pedantic(_merge_rows, args=(rows,), rounds=3, iterations=1)
    budget(f"import merge: {shape}", 4 * BUDGET_SECONDS)


def _entries(count: int, prefix: str = "") -> tuple[str, ...]:
    words = (
        "".join(w) for n in (1, 2) for w in itertools.product(string.ascii_lowercase, repeat=n)
    )
    return tuple(prefix + word for word in itertools.islice(words, count))


# Every entry of a brief's lists is one search through the caption: the fullest brief the
# columns held (131 hashtags, 131 mentions, 342 forbidden words) took 0.8 s on this caption.
FULLEST_BRIEF = BriefRules(
    hashtags=_entries(MAX_BRIEF_ENTRIES["hashtags"], "#"),
    mentions=_entries(MAX_BRIEF_ENTRIES["mentions"], "@"),
    disclosure="#ad",
    required_link="https://mountaintea.tw/summer",
    promo_code="TEA10",
    forbidden_words=_entries(MAX_BRIEF_ENTRIES["forbidden_words"]),
    platform="facebook",
    format="fb_post",
)
CAPTIONS = {
    "letters and spaces": ("a " * MAX_CAPTION_LENGTH)[:MAX_CAPTION_LENGTH],
    "hashtags": ("#a " * MAX_CAPTION_LENGTH)[:MAX_CAPTION_LENGTH],
    "Chinese glued to Latin": ("中a" * MAX_CAPTION_LENGTH)[:MAX_CAPTION_LENGTH],
}


@pytest.mark.parametrize("shape", list(CAPTIONS))
def test_brief_check_against_the_fullest_brief(budget, benchmark, shape):
    caption = CAPTIONS[shape]
    findings = benchmark.pedantic(
        check_caption, args=(caption, FULLEST_BRIEF), rounds=3, iterations=1
    )
    assert findings
    budget(f"brief check, fullest brief, {len(caption):,} characters: {shape}", BUDGET_SECONDS)
