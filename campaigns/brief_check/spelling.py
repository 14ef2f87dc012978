"""English spelling, with the words of social media and British spellings accepted."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from campaigns.brief_check.findings import BriefRules, Finding, Status
from campaigns.brief_check.text import MAX_SUGGESTIONS, WORD, is_letters

if TYPE_CHECKING:
    from spellchecker import SpellChecker


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


def check_spelling(prose: str, rules: BriefRules) -> Finding:
    checker = _spell_checker()
    skip = _rule_words(rules)
    misspelled: dict[str, list[str]] = {}
    for match in WORD.finditer(prose):
        word = match.group()
        lower = word.lower().replace("’", "'")
        if lower in skip or lower in misspelled or not _worth_checking(prose, match):
            continue
        if not _is_known(checker, lower):
            misspelled[lower] = [word, _suggestion(checker, lower, capitalise=word[0].isupper())]
        if len(misspelled) == MAX_SUGGESTIONS:
            break
    words = list(misspelled.values())
    return Finding("spelling", Status.WARN if words else Status.PASS, {"words": words})


def _worth_checking(text: str, match: re.Match[str]) -> bool:
    """Skip short words, words with digits, ALL-CAPS, camelCase brands (iPhone) and capitalised
    words inside a sentence, which are names far more often than typos."""
    word = match.group()
    if len(word) < 3 or not is_letters(word) or word.isupper() or not word[1:].islower():
        return False
    before = match.start() - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return word[0].islower() or before < 0 or text[before] in ".!?。！？\n…"


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
