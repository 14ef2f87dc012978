"""Walk a workspace's pages as a signed-in user; find numbers printed without grouping and form
fields labelled with their own name.

A figure of five digits or more must read 218,700 (or 21.9萬 when compact), never 218700.
What is not a figure is left out before looking: URLs and attribute values (ids, tokens,
links), dates and times, years, and words glued to digits (handles, order ids, codes).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.test import Client

# Pages that are files or actions, not something a person reads on screen.
SKIP_PATH = re.compile(
    r"(/export\.|\.xlsx|\.pdf|\.csv|/logout|/download|/cover|/media/|/thumb|/refresh|/pull)"
)
HREF = re.compile(r'(?:href|hx-get)="(/[^"#]+)"')
TAG = re.compile(r"<[^>]*>")
# Blocks whose text is not shown as figures: scripts, styles and inline SVG charts (their
# coordinates; the chart's own labels are checked by the chart tests), and identifiers set
# in <code> (a parcel's tracking number is a code, never grouped).
HIDDEN = re.compile(r"<(script|style|svg|textarea|select|code)\b.*?</\1>", re.S | re.I)
NOT_FIGURES = [
    re.compile(r"https?://\S+|www\.\S+|/w/\S+"),
    re.compile(r"\d{4}[-/年.]\d{1,2}(?:[-/月.]\d{1,2}日?)?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"\d{1,2}:\d{2}(?::\d{2})?"),
    # A digit run inside a word is a handle, an order id or a code, not a figure.
    re.compile(r"[\w.@#-]*[A-Za-z_@#-][\w.@#-]*\d[\w.@#-]*|\d+[A-Za-z_@#-][\w.@#-]*"),
]
UNGROUPED = re.compile(r"(?<![\d,.])\d{5,}(?:\.\d+)?(?![\d,])")


def visible_text(page: str) -> str:
    text = TAG.sub(" ", HIDDEN.sub(" ", page))
    return html.unescape(text)


def ungrouped_numbers(page: str) -> list[str]:
    """Each ungrouped number of five digits or more, with a little of the text around it."""
    text = visible_text(page)
    for pattern in NOT_FIGURES:
        text = pattern.sub(" ", text)
    found = []
    for match in UNGROUPED.finditer(text):
        before = text[max(match.start() - 30, 0) : match.start()]
        after = text[match.end() : match.end() + 20]
        found.append(" ".join(f"{before}[{match.group()}]{after}".split()))
    return found


def walk(
    client: Client, start: str, *, limit: int = 200, per_kind: int = 3
) -> Iterator[tuple[str, str]]:
    """(path, page) for the pages reachable from `start` within its workspace, breadth first,
    each path once (query strings are dropped: the first page of each list is enough) and at
    most `per_kind` pages of one kind (paths alike but for their ids)."""
    prefix = "/".join(start.split("/")[:3]) + "/"  # /w/<slug>/ or /s/<token>/
    queue, seen, kinds = [start], {start}, {}
    visited = 0
    while queue and visited < limit:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        page = response.content.decode()
        yield path, page
        for link in HREF.findall(page):
            target = urlsplit(html.unescape(link)).path
            if not target.startswith(prefix) or SKIP_PATH.search(target) or target in seen:
                continue
            kind = re.sub(r"\d+", "N", target)
            if kinds.get(kind, 0) >= per_kind:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            seen.add(target)
            queue.append(target)


FIELD_LABEL = re.compile(
    r'data-field="([\w-]+)">\s*<(?:label|legend) class="field__label"[^>]*>([^<]+)<'
)


def name_derived(name: str) -> set[str]:
    """What a label looks like when it was made from the field's name and nobody wrote one."""
    spaced = name.replace("_", " ")
    return {name, spaced, name.capitalize(), spaced.capitalize(), spaced.title()}


def made_from_name(name: str, label: str | None, language: str) -> bool:
    """In Chinese any label that is the field's name was never translated; in English a name
    can be the right word ("Destination"), but not with its underscores ("Utm_source")."""
    if label is None:
        return True
    if language.startswith("zh"):
        return label in name_derived(name)
    return "_" in label and label in name_derived(name)


def labels_from_names(page: str, language: str) -> list[tuple[str, str]]:
    """(field, label) for each rendered form field whose label is only its name."""
    return [
        (name, label.strip())
        for name, label in FIELD_LABEL.findall(page)
        if made_from_name(name.rsplit("-", 1)[-1], label.strip(), language)
    ]
