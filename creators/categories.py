"""Which category a written name means. Pure; no database access.

Sheets and people spell one category many ways: 美妝, 美妝 Beauty, Beauty, ＢＥＡＵＴＹ, 美妆.
A name is compared by its folded whole (kolhub.folding, without spaces and punctuation) and,
for a bilingual name, by its Chinese part and its Latin part alone: 美妝 Beauty is 美妝 and is
Beauty. Different words stay different (美妝保養 is not 美妝).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kolhub.folding import fold_for_search

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_NOT_WORD = re.compile(r"[\W_]+")


def category_keys(name: str) -> tuple[str, frozenset[str]]:
    """The folded whole of a name and its parts by script (Chinese, Latin)."""
    text = fold_for_search(name)
    han = "".join(_HAN.findall(text))
    latin = _NOT_WORD.sub("", _HAN.sub(" ", text))
    return _NOT_WORD.sub("", text), frozenset(part for part in (han, latin) if part)


class _Index:
    def __init__(self) -> None:
        self.by_whole: dict[str, str] = {}
        self.by_part: dict[str, str] = {}

    def add(self, name: str) -> None:
        whole, parts = category_keys(name)
        self.by_whole.setdefault(whole, name)
        for part in parts:
            self.by_part.setdefault(part, name)

    def find(self, name: str) -> str | None:
        whole, parts = category_keys(name)
        if whole in self.by_whole:
            return self.by_whole[whole]
        return next((self.by_part[p] for p in sorted(parts) if p in self.by_part), None)


def category_names_resolve(names: Iterable[str], existing: Iterable[str]) -> dict[str, str]:
    """Each written name → the category name it is stored under: an existing category that
    it spells, or else the fullest of the new spellings of one category (美食 Food for 美食,
    美食 Food and food). A name of punctuation alone is no category and is left out."""
    index = _Index()
    for name in existing:
        index.add(name)
    resolved: dict[str, str] = {}
    new: list[str] = []
    for name in dict.fromkeys(names):
        if not category_keys(name)[0]:
            continue
        found = index.find(name)
        if found is None:
            new.append(name)
        else:
            resolved[name] = found
    # The fullest spelling first (both scripts, then the longest), so the others fold into it.
    for name in sorted(new, key=lambda n: (-len(category_keys(n)[1]), -len(n), n)):
        found = index.find(name)
        if found is None:
            index.add(name)
            found = name
        resolved[name] = found
    return resolved
