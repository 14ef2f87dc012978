"""Findings in words: one sentence each, in the language active when the page renders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext

from campaigns.brief_check.findings import Finding, Status

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


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
