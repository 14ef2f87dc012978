"""Post covers: copied from the platform's CDN by the worker, shrunk, stored and served by us.

A platform's cover address expires (TikTok's after 6 hours, Meta's signed ones sooner) and
pages must not load anything from elsewhere, so the worker downloads each post's cover once,
checks that it really is an image, shrinks it to a gallery tile and stores it as JPEG. The
address is the platform's to choose, so it is fetched through public_fetch: public https sites
only, redirects and size capped.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence

import httpx
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from tracking.ingest import public_fetch
from tracking.models import Post
from tracking.models.posts import COVER_ATTEMPTS

log = logging.getLogger(__name__)

# A demo post's cover is drawn here, never downloaded: its source names the drawing's seed.
DEMO_SOURCE = "demo:"
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
TILE = (640, 640)
MAX_FAILURES = COVER_ATTEMPTS


class CoverUnavailable(Exception):
    """The cover could not be downloaded or is not an image; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# Failures of our own, beside public_fetch.Failure's network and address ones.
UNREADABLE_IMAGE = "unreadable_image"
TOO_MANY_PIXELS = "too_many_pixels"


def posts_wanting_cover(posts: Sequence[Post]) -> list[int]:
    return [
        post.pk
        for post in posts
        if post.thumbnail_source and not post.thumbnail and post.thumbnail_failures < MAX_FAILURES
    ]


def thumbnails_fetch(post_ids: Sequence[int]) -> int:
    """Download and store the covers of these posts that still lack one; returns how many."""
    posts = Post.objects.filter(pk__in=post_ids, thumbnail="").exclude(thumbnail_source="")
    stored = 0
    with public_fetch.client("KOLHub cover fetcher") as http:
        for post in posts:
            try:
                tile = cover_tile(cover_bytes(http, post.thumbnail_source))
            except CoverUnavailable as exc:
                # The code only: the source address may carry a CDN's signature.
                log.info("No cover for post %s: %s", post.pk, exc.code)
                Post.objects.filter(pk=post.pk).update(
                    thumbnail_failures=post.thumbnail_failures + 1
                )
                continue
            post.thumbnail.save(f"{post.pk}.jpg", ContentFile(tile), save=False)
            Post.objects.filter(pk=post.pk).update(thumbnail=post.thumbnail.name)
            stored += 1
    return stored


def cover_bytes(http: httpx.Client, source: str) -> bytes:
    if source.startswith(DEMO_SOURCE):
        return demo_cover(source.removeprefix(DEMO_SOURCE))
    try:
        return public_fetch.fetch_image(http, source, max_bytes=MAX_BYTES).content
    except public_fetch.Refused as exc:
        raise CoverUnavailable(exc.code.value) from exc


def cover_tile(data: bytes) -> bytes:
    """The image shrunk to fit a 640 px square, upright, as a progressive JPEG."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise CoverUnavailable(TOO_MANY_PIXELS)
            image.load()
            tile = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise CoverUnavailable(UNREADABLE_IMAGE) from exc
    tile.thumbnail(TILE)
    out = io.BytesIO()
    tile.save(out, "JPEG", quality=82, progressive=True, optimize=True)
    return out.getvalue()


def demo_cover(seed: str) -> bytes:
    """A demo post's cover: a two-colour gradient with soft circles, the same for a seed."""
    digest = hashlib.sha256(seed.encode()).digest()
    start, end = digest[:3], digest[3:6]
    width, height = 640, 400
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * mix) for a, b in zip(start, end, strict=True)),
        )
    for index in range(4):
        cx, cy = digest[6 + index] * 2.5, digest[10 + index] * 1.5
        r = 30.0 + digest[14 + index] // 3
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
