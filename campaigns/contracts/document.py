"""A generated contract: the chosen template filled with a collaboration's terms, as blocks
(headings and paragraphs) that the page and the PDF print alike."""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.contracts.placeholders import substitute
from campaigns.contracts.selectors import ChosenTemplate
from campaigns.contracts.terms import contract_values
from campaigns.models import Collaboration

HEADING, PARAGRAPH = "heading", "paragraph"
HEADING_MARK = "# "


@dataclass(frozen=True)
class Contract:
    language: str
    title: str
    blocks: list[tuple[str, str]]  # (HEADING or PARAGRAPH, text with its line breaks)


def blocks(text: str) -> list[tuple[str, str]]:
    """A line starting with "# " is a heading; other lines group into paragraphs, split by
    blank lines."""
    found: list[tuple[str, str]] = []
    lines: list[str] = []

    def close_paragraph() -> None:
        if lines:
            found.append((PARAGRAPH, "\n".join(lines)))
            lines.clear()

    for line in text.splitlines():
        if line.startswith(HEADING_MARK):
            close_paragraph()
            found.append((HEADING, line.removeprefix(HEADING_MARK).strip()))
        elif line.strip():
            lines.append(line.rstrip())
        else:
            close_paragraph()
    close_paragraph()
    return found


def generate(collaboration: Collaboration, chosen: ChosenTemplate) -> Contract:
    """The contract of a collaboration from the chosen template, in the template's language."""
    text = substitute(chosen.body, contract_values(collaboration, chosen.language))
    parts = blocks(text)
    title = next((block for kind, block in parts if kind == HEADING), str(collaboration))
    return Contract(language=chosen.language, title=title, blocks=parts)
