"""Faces on the roster: a creator's or an account's picture, else their initials in a circle.

The picture is the worker's copy (tracking.ingest.faces), served by the roster; the
directory has every row's accounts prefetched, so choosing one costs no query.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

from django import template
from django.urls import reverse

from creators.models import Creator, SocialAccount

register = template.Library()

# CSS pixels of each size (the stored picture is 160 px: sharp up to 80 on 2× screens).
SIZES = {"xs": 24, "sm": 36, "lg": 64}
HUES = 8  # .avatar--hue-0 … -7 in app.css


@register.inclusion_tag("creators/_avatar.html", takes_context=True)
def creator_avatar(context: dict[str, Any], creator: Creator, size: str = "sm") -> dict:
    """The picture of the creator's main account (the biggest that has one)."""
    account = next((a for a in creator.accounts.all() if a.avatar), None)
    return _face(context, account, creator.display_name, size)


@register.inclusion_tag("creators/_avatar.html", takes_context=True)
def account_avatar(context: dict[str, Any], account: SocialAccount, size: str = "xs") -> dict:
    return _face(context, account if account.avatar else None, account.handle, size)


def _face(context: dict[str, Any], account: SocialAccount | None, name: str, size: str) -> dict:
    return face_of(account, name, size, context["request"].workspace.slug)


def face_of(account: SocialAccount | None, name: str, size: str, workspace_slug: str) -> dict:
    """What creators/_avatar.html shows: the account's picture, else the name's initials."""
    if account is None:
        return picture_face(None, "", name, size, workspace_slug)
    return picture_face(account.pk, account.avatar.name or "", name, size, workspace_slug)


def picture_face(
    account_id: int | None, avatar: str, name: str, size: str, workspace_slug: str
) -> dict:
    """face_of from the account's id and stored picture's name (no account at hand)."""
    face = {"size": size, "px": SIZES.get(size, SIZES["sm"]), "lazy": size != "lg"}
    if account_id is not None and avatar:
        url = reverse("account_avatar", args=[workspace_slug, account_id])
        # The stored file's name changes with the picture, so browsers may cache the URL.
        version = avatar.rsplit("/", 1)[-1].removesuffix(".jpg")
        return face | {"src": f"{url}?v={version}"}
    return face | {"initials": initials(name), "hue": hue(name)}


def initials(name: str) -> str:
    """Han, kana and Hangul names by their first character ("小安日常" → "小"), others by the
    first letters of their first two words ("Mei Lin" → "ML", "ann" → "A")."""
    words = name.replace("@", " ").split()
    if not words:
        return "?"
    first = words[0][0]
    if _is_wide(first):
        return first
    letters = [word[0] for word in words[:2] if not _is_wide(word[0])]
    return "".join(letters).upper()


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def hue(name: str) -> int:
    """A colour for the initials that stays the same for a name."""
    return hashlib.sha256(name.encode()).digest()[0] % HUES
