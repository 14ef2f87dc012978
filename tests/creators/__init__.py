"""Helpers of the roster's tests."""

from __future__ import annotations

import html
import re

LISTED = re.compile(r'<a class="creator-cell" href="[^"]*">.*?<strong>([^<]*)</strong>', re.DOTALL)


def listed_names(response) -> list[str]:
    """The creators a directory page lists, as it shows them: a page served from the cache
    (kolhub.fragments.cached_page) has no template context to read them from."""
    return [html.unescape(name) for name in LISTED.findall(response.text)]
