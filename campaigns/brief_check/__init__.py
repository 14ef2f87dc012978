"""Automatic check of a draft caption against a campaign brief.

check_caption() returns a checklist: the brief's requirements first, then copy quality for a
Taiwanese audience. Findings hold only codes and JSON-safe params so they can be stored;
describe() words them in the language that is active when the page renders.

One module per part of the checklist: requirements (the brief's and the platforms'), chinese
and spelling (copy quality), wording (describe); findings holds what goes in and out, text the
patterns they share. This module runs them in order and re-exports the public names.
"""

from __future__ import annotations

from campaigns.brief_check.chinese import (
    check_cjk_spacing,
    check_punctuation_width,
    check_simplified,
)
from campaigns.brief_check.findings import (
    BriefRules,
    Finding,
    Status,
    findings_from_json,
    findings_to_json,
    summary,
)
from campaigns.brief_check.requirements import (
    CAPTION_LIMITS,
    MAX_BRIEF_ENTRIES,
    MAX_CAPTION_LENGTH,
    CaptionLimit,
    caption_limit,
    check_forbidden_words,
    check_hashtag_count,
    check_length,
    check_link,
    check_tags,
    check_term,
)
from campaigns.brief_check.spelling import check_spelling
from campaigns.brief_check.text import (
    CJK_CHAR,
    EMAIL,
    HASHTAG,
    MENTION,
    URL,
    WORD,
    is_letters,
    mask,
)
from campaigns.brief_check.wording import describe

__all__ = [
    "CAPTION_LIMITS",
    "MAX_BRIEF_ENTRIES",
    "MAX_CAPTION_LENGTH",
    "BriefRules",
    "CaptionLimit",
    "Finding",
    "Status",
    "caption_limit",
    "check_caption",
    "describe",
    "findings_from_json",
    "findings_to_json",
    "summary",
]


def check_caption(caption: str, rules: BriefRules) -> list[Finding]:
    """Every applicable check yields one Finding, brief requirements first, then copy quality."""
    linkless = mask(caption, EMAIL, URL)
    prose = mask(linkless, MENTION, HASHTAG)  # only what a reader reads as sentences
    findings = [
        check_tags("hashtags", linkless, rules.hashtags),
        check_tags("mentions", linkless, rules.mentions),
        check_term("disclosure", caption, rules.disclosure),
        check_link(caption, rules.required_link),
        check_term("promo_code", caption, rules.promo_code),
        check_forbidden_words(caption, rules.forbidden_words),
    ]
    limit = caption_limit(rules)
    if limit:
        findings.append(check_length(caption, limit))
        if limit.hashtags is not None:
            findings.append(check_hashtag_count(linkless, limit.hashtags))
    if CJK_CHAR.search(caption):
        findings.append(check_simplified(caption))
        findings.append(check_cjk_spacing(caption, prose))
        findings.append(check_punctuation_width(caption, prose))
    if any(is_letters(word.group()) for word in WORD.finditer(prose)):  # any English at all
        findings.append(check_spelling(prose, rules))
    return [finding for finding in findings if finding is not None]
