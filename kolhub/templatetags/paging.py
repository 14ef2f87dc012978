"""{% pagination page query %}: the one Previous / page n of N / Next control of every paged
list (a Django Paginator page)."""

from __future__ import annotations

from django import template
from django.core.paginator import Page

register = template.Library()


@register.inclusion_tag("kolhub/_pagination.html")
def pagination(
    page: Page,
    query: str = "",
    *,
    base: str = "",
    target: str = "#results",
    push: str = "true",
    fragment: str = "",
) -> dict:
    """Links to `base` (default: this address) with `query` and the page number, swapping
    `target`. push="false" keeps the address bar as it is (a fragment loaded into another
    page); with `fragment`, htmx fetches the swapped part from there and shows the `base`
    address."""
    return {
        "page": page,
        "query": query,
        "base": base,
        "target": target,
        "push": push,
        "fragment": fragment,
        "fetch": fragment or base,
    }
