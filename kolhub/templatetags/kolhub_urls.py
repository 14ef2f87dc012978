"""`{% layout_url %}`: the `{% url %}` of the layout, remembered per process.

Every signed-in page renders the same dozen-odd links (menus, switchers); reversing each one on
every request was a noticeable share of a page's fixed cost. A URL depends only on its name,
its arguments, the script prefix and the URL conf, so those are the key.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=4096)
def _reverse(urlconf: str | None, prefix: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


@register.simple_tag
def layout_url(name: str, *args: object) -> str:
    """The URL of `name` with positional `args` (names, slugs, ids), as `{% url %}` gives it."""
    return _reverse(get_urlconf(), get_script_prefix(), name, args)
