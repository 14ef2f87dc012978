"""Audience data as people enter it, and audience samples stored compactly. Pure functions."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import zlib
from collections.abc import Iterable

import numpy as np
from django.utils.translation import gettext as _

from creators.parsing import normalise_text
from kolhub.spreadsheets import ImportFileError, read_workbook

# The share at the end of a line. It starts only where a number starts (not after a digit, nor
# after "digit."): a search tries every position, and from inside a run of digits each try
# read the rest of the run again, so 5,000 digits and a letter took 1.2 s, 40,000 took 53 s.
_SHARE = re.compile(r"(?<!\d)(?<!\d\.)(\d+(?:\.\d+)?)\s*%?$")


def parse_shares(text: str) -> dict[str, float]:
    """`18-24: 29%` per line → {"18-24": 0.29}; shares must add up to about 100 %.

    Raises ValueError naming the line that is wrong.
    """
    shares: dict[str, float] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalise_text(raw)
        if not line:
            continue
        match = _SHARE.search(line)
        bucket = line[: match.start()].rstrip(" :=\t") if match else ""
        if not match or not bucket:
            raise ValueError(
                _("Line %(line)s: write “bucket: share”, e.g. “18-24: 29%%”.") % {"line": number}
            )
        share = float(match.group(1))
        if share > 100:
            raise ValueError(_("Line %(line)s: a share cannot exceed 100 %%.") % {"line": number})
        shares[bucket[:40]] = share
    if not shares:
        return {}
    total = sum(shares.values())
    as_fractions = total <= 1.05  # written as 0.29 rather than 29
    scale = 1 if as_fractions else 100
    if not (0.95 * scale <= total <= 1.05 * scale):
        raise ValueError(
            _("The shares add up to %(total)s%%; they should add up to about 100%%.")
            % {"total": f"{total * (100 if as_fractions else 1):.0f}"}
        )
    return {bucket: round(share / scale, 4) for bucket, share in shares.items()}


def format_shares(shares: dict[str, float]) -> str:
    return "\n".join(f"{bucket}: {share * 100:g}%" for bucket, share in shares.items())


def identifier_hash(identifier: str) -> int:
    """64 bits of BLAKE2b of the normalised identifier (handle case and @ do not matter)."""
    key = normalise_text(identifier).lstrip("@").lower().encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def pack_identifiers(identifiers) -> tuple[bytes, int]:
    """Sorted unique 64-bit hashes, zlib-compressed; and how many there are."""
    hashes = np.unique(
        np.fromiter((identifier_hash(i) for i in identifiers if normalise_text(i)), dtype=np.uint64)
    )
    return zlib.compress(hashes.tobytes(), level=6), len(hashes)


def unpack_identifiers(packed: bytes) -> np.ndarray:
    if not packed:
        return np.empty(0, dtype=np.uint64)
    return np.frombuffer(zlib.decompress(packed), dtype=np.uint64)


def read_identifiers(data: bytes, *, most: int) -> list[str]:
    """Identifiers from an uploaded list: one per line, or the first column of a CSV;
    `most` + 1 at the most (reading stops there)."""
    lines = io.StringIO(decode_upload(data), newline=None)
    values = (line.split(",")[0].strip().strip('"') for line in lines if line.strip())
    first = next(values, None)
    if first is None:
        return []
    head = [] if first.lower() in _HEADER_NAMES else [first]
    return head + list(itertools.islice(values, most + 1 - len(head)))


_HEADER_NAMES = {"handle", "username", "user", "id", "user_id", "account", "帳號", "名稱"}


def decode_upload(data: bytes) -> str:
    """An uploaded text file's content, UTF-8 or Big5 (what Taiwanese Excel saves)."""
    for encoding in ("utf-8-sig", "cp950"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(_("The file is neither UTF-8 nor Big5 (CP950) text."))
    if "\x00" in text:
        raise ValueError(_("This is not a text or CSV file."))
    return text


# Column names under which comment exports (and people) put the text of each comment.
COMMENT_COLUMNS = (
    "comment",
    "comments",
    "text",
    "comment text",
    "message",
    "content",
    "留言",
    "內容",
    "評論",
)


# A comment export is read inside the request, so its workbook is bounded tighter than an
# import (which a worker reads): reading costs about 5 µs a cell, so rows and columns are
# bounded to about 50,000 cells; 5,000 long comments unzip to about 4.5 MB.
COMMENT_WORKBOOK_XML_BYTES = 8 * 1024 * 1024
COMMENT_WORKBOOK_COLUMNS = 10
COMMENT_WORKBOOK_BLANK_ROWS = 100


def read_comments(data: bytes, filename: str, *, most: int) -> list[str]:
    """Comment texts from an upload: a CSV or XLSX with a comment column (or a single
    column), or a text file with one comment per line. Reading stops once there are more
    than `most`, so a caller sees `most + 1` comments at the most."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx":
        try:
            table = read_workbook(
                data,
                header=False,
                max_rows=most + 1 + COMMENT_WORKBOOK_BLANK_ROWS,  # a header, some blank rows
                max_xml_bytes=COMMENT_WORKBOOK_XML_BYTES,
                max_columns=COMMENT_WORKBOOK_COLUMNS,
            )
        except ImportFileError as exc:  # whatever broke inside (the zip, its XML, its size)
            raise ValueError(str(exc)) from None
        return _comment_column(_filled_rows(table.to_numpy().tolist(), most))
    text = decode_upload(data)
    if suffix == "csv":
        try:
            return _comment_column(_filled_rows(csv.reader(io.StringIO(text)), most))
        except csv.Error:
            raise ValueError(
                _("This CSV file cannot be read: a quote is not closed or a cell is too long.")
            ) from None
    return split_comments(text, most=most)


def split_comments(text: str, *, most: int) -> list[str]:
    """One comment per non-blank line, as pasted; `most` + 1 at the most."""
    lines = io.StringIO(text, newline=None)  # \n, \r\n and \r all end a line
    return list(itertools.islice((line.strip() for line in lines if line.strip()), most + 1))


def _filled_rows(rows: Iterable[list[str]], most: int) -> list[list[str]]:
    """The rows with any text, up to a header and `most` + 1 comments."""
    filled = (row for row in rows if any(str(cell).strip() for cell in row))
    return list(itertools.islice(filled, most + 2))


def _comment_column(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    header = [str(cell).strip().lower() for cell in rows[0]]
    column = next((header.index(name) for name in COMMENT_COLUMNS if name in header), None)
    if column is None and len(header) > 1:
        raise ValueError(
            _("Name the column that holds the comments “comment” or “text” (or “留言”).")
        )
    body = rows[1:] if column is not None else rows
    column = column or 0
    return [
        str(row[column]).strip() for row in body if len(row) > column and str(row[column]).strip()
    ]
