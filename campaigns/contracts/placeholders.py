"""The placeholder syntax of contract templates: `{{ name }}`, a name from PLACEHOLDERS.

Validation reads the text once, left to right, and names every problem it finds (the first
few): an unknown name, a `{{` never closed, a `}}` never opened, a `{% … %}` tag (a Django
habit that means nothing here). Substitution is one pass of plain text replacement: a value
that itself contains `{{ … }}` (a creator named so) is printed as it is, never read again.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every name a template may use, with the one line the editor shows beside it.
PLACEHOLDERS = {
    "contract.date": _("The date the contract is generated, in the workspace's time zone."),
    "workspace.name": _("Your workspace: the agency or team that manages the collaboration."),
    "brand.name": _("The brand the campaign is for."),
    "campaign.name": _("The campaign's name."),
    "campaign.period": _("The campaign's start date and last publish date."),
    "creator.name": _("The creator's display name."),
    "creator.legal_name": _("The creator's real name if recorded, else the display name."),
    "creator.email": _("The creator's e-mail address."),
    "owner.name": _("The person in charge of the collaboration in your team."),
    "fee": _("The fee with its currency, or “to be agreed” when none is set."),
    "payment_schedule": _(
        "The payment schedule as numbered lines: each installment's amount and due date, or the "
        "default terms when no schedule is planned."
    ),
    "deliverables": _("The deliverables as numbered lines: format, platform and due dates."),
    "deliverables.count": _("How many deliverables there are."),
    "usage_rights": _(
        "The usage rights as numbered lines: organic reposts, paid ads, edits, territory, dates."
    ),
    "rights.territory": _("Where the brand may use the content."),
    "rights.period": _("From when to when the brand may use the content."),
    "exclusivity": _("Until when the creator works for no competing brand, or “none”."),
    "min_live_days": _("How many days each post stays online at least."),
    "brief.version": _("The brief version the contract refers to, with its date."),
    "brief.disclosure": _("The disclosure text the brief asks for (e.g. #廣告), or the default."),
}

OPEN, CLOSE = "{{", "}}"
# What a placeholder may hold: a dotted lower-case name, with optional spaces around it.
NAME = re.compile(r"\s*([a-z_]+(?:\.[a-z_]+)*)\s*")
TOKEN = re.compile(r"\{\{|\}\}|\{%")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}")
# A long list of the same mistake helps nobody: the first few are named.
MAX_ERRORS = 5


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def problems(text: str) -> list[ValidationError]:
    """What is wrong with a template's placeholders; empty when it may be saved."""
    found: list[ValidationError] = []
    position = 0
    while len(found) < MAX_ERRORS and (token := TOKEN.search(text, position)):
        line = _line(text, token.start())
        if token.group() == CLOSE:
            found.append(
                ValidationError(
                    _("Line %(line)s: “}}” closes no placeholder."),
                    code="unbalanced",
                    params={"line": line},
                )
            )
            position = token.end()
        elif token.group() == "{%":
            found.append(
                ValidationError(
                    _(
                        "Line %(line)s: “{%%” tags are not part of contract templates; only "
                        "{{ placeholders }} are replaced."
                    ),
                    code="tag",
                    params={"line": line},
                )
            )
            position = token.end()
        else:
            position = _placeholder(text, token.end(), line, found)
    return found


def _placeholder(text: str, start: int, line: int, found: list[ValidationError]) -> int:
    """Checks the placeholder opened just before `start`; returns where reading goes on."""
    close = text.find(CLOSE, start)
    reopened = text.find(OPEN, start)
    if close == -1 or (reopened != -1 and reopened < close):
        found.append(
            ValidationError(
                _("Line %(line)s: “{{” is never closed with “}}”."),
                code="unbalanced",
                params={"line": line},
            )
        )
        return start
    inside = text[start:close]
    name = NAME.fullmatch(inside)
    if name is None or name.group(1) not in PLACEHOLDERS:
        found.append(
            ValidationError(
                _("Line %(line)s: unknown placeholder “{{ %(name)s }}”."),
                code="unknown",
                params={"line": line, "name": inside.strip()[:60]},
            )
        )
    return close + len(CLOSE)


def substitute(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced by its value; anything else as written."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)
