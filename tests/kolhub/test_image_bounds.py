"""An image that declares a huge canvas is refused before it is decoded, in every process
(Pillow's own default would let 9,000 × 9,000 through with only a warning)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from kolhub.uploads import MAX_IMAGE_PIXELS


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_pillow_is_bounded_by_the_project_limit():
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS


def test_a_canvas_past_the_limit_is_refused_on_opening():
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_declaring(9_000, 9_000)))
