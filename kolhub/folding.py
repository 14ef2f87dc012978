"""One spelling for searching Chinese text: Simplified and Traditional characters (and
variants such as 臺/台) fold to one form, so 旅游 finds 旅遊 and 美妆 finds 美妝.

The fold is character by character with OpenCC's Traditional→Simplified table (its bundled
dictionaries, no network). That direction is the many-to-one one: 髮 and 發 both fold to 发,
so 头发 finds 頭髮, which a Simplified→Traditional table (发 → 發 only) would miss. The folded
text is a search key, never shown. Character by character, unlike OpenCC's phrase conversion,
so a word folds the same alone (a query) as inside a sentence (a bio), and `str.translate`
folds 100,000 names in well under a second.
"""

from __future__ import annotations

import functools
import unicodedata

import opencc

# CJK Unified Ideographs and Extension A: every character OpenCC's tables convert.
_HAN_RANGES = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000))


@functools.cache
def _one_script_table() -> dict[int, str]:
    converter = opencc.OpenCC("t2s")
    characters = [chr(code) for block in _HAN_RANGES for code in block]
    # One call for all of them, a line each: a line is never a phrase with its neighbours.
    converted = converter.convert("\n".join(characters)).split("\n")
    return {
        ord(char): folded
        for char, folded in zip(characters, converted, strict=True)
        if folded != char and len(folded) == 1
    }


def fold_for_search(text: str) -> str:
    """The search key of a text: NFKC (full-width letters and digits to ASCII), case-folded,
    Chinese characters in one script."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_one_script_table())
