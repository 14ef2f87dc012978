"""The brief check on the longest texts a request can bring: linear in the text, so a draft
of 100,000 characters of any shape is checked well under a second."""

from __future__ import annotations

import random

import pytest

from campaigns.brief_check import BriefRules, check_caption

LENGTH = 100_000
BUDGET_SECONDS = 0.5
RULES = BriefRules(
    hashtags=("#tea",),
    mentions=("@mountaintea",),
    disclosure="#ad",
    required_link="https://mountaintea.tw/summer",
    promo_code="TEA10",
    forbidden_words=("cure", "最好"),
    platform="instagram",
    format="ig_post",
)


def _random_text(alphabet: str) -> str:
    rng = random.Random(7)
    return "".join(rng.choice(alphabet) for _ in range(LENGTH))


# Shapes that made one pattern or another rescan the text from every position.
TEXTS = {
    "one long word": "b" * LENGTH,
    "digits": "1" * LENGTH,
    "dotted words": "a." * (LENGTH // 2),
    "www, repeated": "www." * (LENGTH // 4),
    "at signs": "a@" * (LENGTH // 2),
    "hashtags": "#a" * (LENGTH // 2),
    "Chinese glued to Latin": "中a" * (LENGTH // 2),
    "a caption, repeated": (
        (
            "夏日冷泡茶開箱🍵 用iPhone拍 #tea @mountaintea https://mountaintea.tw/summer "
            "code TEA10 #ad "
        )
        * LENGTH
    )[:LENGTH],
    "random symbols": _random_text("ab1.@#-_'’:/ 中，。！ABwww.com%+&\u3000"),
}


@pytest.mark.parametrize("shape", list(TEXTS))
def test_brief_check_of_100k_characters(budget, benchmark, shape):
    text = TEXTS[shape]
    findings = benchmark.pedantic(check_caption, args=(text, RULES), rounds=3, iterations=1)
    assert findings
    budget(f"brief check, {len(text):,} characters: {shape}", BUDGET_SECONDS)
