"""Covers and pictures: copied from the platform's CDN by the worker, shrunk, stored and
served by us.

A platform's image address expires (TikTok's after 6 hours, Meta's signed ones sooner) and
pages must not load anything from elsewhere, so the worker downloads each post's cover once
(followed posts and the accounts' own latest ones alike), checks that it really is an image,
shrinks it to a gallery tile and stores it as JPEG; profile pictures go through the same
pipeline to a small square (tracking.ingest.faces). The address is the platform's to choose,
so it is fetched through public_fetch: public https sites only, redirects, bytes and pixels
capped.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
from collections.abc import Sequence

import httpx
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from tracking.ingest import public_fetch
from tracking.models import Post
from tracking.models.posts import COVER_ATTEMPTS, Covered

log = logging.getLogger(__name__)

# A demo post's cover is drawn here, never downloaded: its source names the drawing's seed.
DEMO_SOURCE = "demo:"
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
TILE = (640, 640)
AVATAR = (160, 160)  # a square; shown at 32 to 64 CSS pixels, sharp on 2× screens
MAX_FAILURES = COVER_ATTEMPTS


class CoverUnavailable(Exception):
    """The cover could not be downloaded or is not an image; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# Failures of our own, beside public_fetch.Failure's network and address ones.
UNREADABLE_IMAGE = "unreadable_image"
TOO_MANY_PIXELS = "too_many_pixels"


def posts_wanting_cover(posts: Sequence[Covered]) -> list[int]:
    return [
        post.pk
        for post in posts
        if post.thumbnail_source and not post.thumbnail and post.thumbnail_failures < MAX_FAILURES
    ]


def thumbnails_fetch(post_ids: Sequence[int], *, model: type[Covered] = Post) -> int:
    """Download and store the covers of these posts (followed ones, or an account's own
    latest with `model=AccountPost`) that still lack one; returns how many."""
    posts = model._default_manager.filter(pk__in=post_ids, thumbnail="").exclude(
        thumbnail_source=""
    )
    label = model._meta.verbose_name
    stored = 0
    with public_fetch.client("KOLHub cover fetcher") as http:
        for post in posts:
            try:
                tile = cover_of(http, post.thumbnail_source)
            except CoverUnavailable as exc:
                # The code only: the source address may carry a CDN's signature.
                log.info("No cover for %s %s: %s", label, post.pk, exc.code)
                model._default_manager.filter(pk=post.pk).update(
                    thumbnail_failures=post.thumbnail_failures + 1
                )
                continue
            post.thumbnail.save(f"{post.pk}.jpg", ContentFile(tile), save=False)
            model._default_manager.filter(pk=post.pk).update(thumbnail=post.thumbnail.name)
            stored += 1
    return stored


def cover_of(http: httpx.Client, source: str) -> bytes:
    """The tile for a cover's source address (a demo's drawing or the platform's image)."""
    if source.startswith(DEMO_SOURCE):
        return demo_tile(_demo_variant(source.removeprefix(DEMO_SOURCE)))
    return cover_tile(image_bytes(http, source))


# The demo draws this many covers and hands them out by seed: the seeder copies about two
# thousand, and encoding each anew made seeding (and every test that seeds) seconds slower.
DEMO_VARIANTS = 48


def _demo_variant(seed: str) -> int:
    return hashlib.sha256(seed.encode()).digest()[0] % DEMO_VARIANTS


@functools.lru_cache(maxsize=DEMO_VARIANTS)
def demo_tile(variant: int) -> bytes:
    return cover_tile(demo_cover(f"variant-{variant}"))


def image_bytes(http: httpx.Client, source: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The image at a platform's address (or a demo's drawing), else CoverUnavailable."""
    if source.startswith(DEMO_SOURCE):
        return demo_cover(source.removeprefix(DEMO_SOURCE))
    try:
        return public_fetch.fetch_image(http, source, max_bytes=max_bytes).content
    except public_fetch.Refused as exc:
        raise CoverUnavailable(exc.code.value) from exc


def cover_tile(data: bytes) -> bytes:
    """The image shrunk to fit a 640 px square, upright, as a progressive JPEG."""
    tile = _upright(data)
    tile.thumbnail(TILE)  # never enlarged: a small cover stays small
    return _jpeg(tile)


def avatar_tile(data: bytes) -> bytes:
    """The image cut to its centred square and shrunk to AVATAR (never enlarged), as JPEG."""
    image = _upright(data)
    side = min(image.width, image.height, AVATAR[0])
    return _jpeg(ImageOps.fit(image, (side, side)))


def _upright(data: bytes) -> Image.Image:
    """The decoded image, turned as its EXIF says, in RGB; refused before decoding when its
    header announces more than MAX_PIXELS (a decompression bomb), or when it is no image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise CoverUnavailable(TOO_MANY_PIXELS)
            image.load()
            return ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise CoverUnavailable(UNREADABLE_IMAGE) from exc


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, progressive=True, optimize=True)
    return out.getvalue()


def demo_cover(seed: str) -> bytes:
    """A demo post's cover: a two-colour gradient with soft circles, the same for a seed,
    stamped DEMO like every made-up figure of the demo workspace."""
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
    _stamp(draw, "DEMO", width, height)
    out = io.BytesIO()
    # Uncompressed: it is read back at once (the seeder draws about two thousand).
    image.save(out, "PPM")
    return out.getvalue()


@functools.cache
def _stamp_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Large enough to read once the tile is shown 160 px wide.
    return ImageFont.load_default(size=40)


def _stamp(draw: ImageDraw.ImageDraw, text: str, width: int, height: int) -> None:
    """The label at the bottom's centre, white on a dark pill (legible on any colour), where
    a square crop of the tile (the recent-posts grid) keeps it."""
    font = _stamp_font()
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad, margin = 12, 18
    pill_width = (right - left) + 2 * pad
    box = (
        (width - pill_width) // 2,
        height - margin - (bottom - top) - 2 * pad,
        (width + pill_width) // 2,
        height - margin,
    )
    draw.rounded_rectangle(box, radius=8, fill=(20, 24, 33))
    draw.text((box[0] + pad - left, box[1] + pad - top), text, font=font, fill=(255, 255, 255))
