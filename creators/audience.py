"""Audience data as people enter it, and audience samples stored compactly. Pure functions."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from creators import audience_labels as labels
from creators.parsing import normalise_text
from kolhub.spreadsheets import ImportFileError, read_workbook

# The share at the end of an entry. It starts only where a number starts (not after a digit, nor
# after "digit."): a search tries every position, and from inside a run of digits each try
# read the rest of the run again, so 5,000 digits and a letter took 1.2 s, 40,000 took 53 s.
_SHARE = re.compile(r"(?<!\d)(?<!\d\.)(\d+(?:\.\d+)?)\s*(%?)$")
# Where an entry ends inside a line, as people type a list on one line ("女性: 70% / 男性: 30%",
# "18-24: 35%, 25-34: 45%"): a share after ":", "=" or a space, then a separator, or a
# percent sign and a space. A separator only counts after a share, so a label keeps its own
# commas and slashes ("Taipei, Taiwan: 30%, Taichung, Taiwan: 20%" is two entries), and
# "18-24, 25-34: 50%" stays one (unreadable) entry rather than a bucket "18-" of 24 %.
_SEPARATORS = "/、,;|"  # after NFKC: "，" and "；" are "," and ";"
_ENTRY_END = re.compile(rf"(?<=[\s:=])\d+(?:\.\d+)?\s*(?:%?\s*[{re.escape(_SEPARATORS)}]|%\s)")
# Platforms round each bucket, so a full breakdown can add up to a little over 100 %.
MOST_TOTAL = 1.05


@dataclass(frozen=True)
class ShareLine:
    """One line of a share list as it was read."""

    typed: str  # the label as written
    share: float  # a fraction of the audience
    key: str  # the bucket it is stored and compared under
    known: bool  # False: the vocabulary does not know the label
    # A city the vocabulary does not know, written with its country ("Kobe, Japan"): kept as
    # typed, as platforms write such a city.
    kept: bool = False


class SharesError(ValueError):
    """What is wrong with a share list, one message per problem."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def parse_shares(text: str, dimension: str | None = None) -> dict[str, float]:
    """`18-24: 29%` per line, or `18-24: 29% / 25-34: 41%` on one → {"18-24": 0.29, …}, each
    label read through the vocabulary of its dimension (`女性: 70%` → {"female": 0.7}). A list
    may name part of the audience (the rest is not stated), never more than all of it.

    Raises ValueError (a SharesError) naming the lines or labels that are wrong.
    """
    return {line.key: line.share for line in read_shares(text, dimension)}


def read_shares(text: str, dimension: str | None = None) -> list[ShareLine]:
    found = _matched_lines(text)
    scale = _scale(found)
    lines = [_read_line(number, line, match, scale, dimension) for number, line, match in found]
    problems = _label_problems(lines, dimension)
    total = sum(line.share for line in lines)
    if total > MOST_TOTAL:
        problems.append(
            _(
                "The shares add up to %(total)s%%; together they cannot be more than 100%% "
                "of the audience."
            )
            % {"total": f"{total * 100:.0f}"}
        )
    if problems:
        raise SharesError(problems)
    return lines


def preview_shares(text: str, dimension: str) -> list[ShareLine | None]:
    """How each entry of a share list reads; None for one that is not “label: share”."""
    found = _matched_lines(text)
    scale = _scale(found)
    readings: list[ShareLine | None] = []
    for number, line, match in found:
        try:
            readings.append(_read_line(number, line, match, scale, dimension))
        except ValueError:
            readings.append(None)
    return readings


def _matched_lines(text: str) -> list[tuple[int, str, re.Match | None]]:
    """(line number, text, where its share is) of each entry: one a line, or several on a line
    between separators."""
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        for entry in _entries(normalise_text(raw)):
            found.append((number, entry, _SHARE.search(entry)))
    return found


def _entries(line: str) -> list[str]:
    """The entries of a line, each without the separators and spaces around it."""
    ends = [match.end() for match in _ENTRY_END.finditer(line)]
    pieces = (line[start:end] for start, end in zip([0, *ends], [*ends, len(line)], strict=True))
    return [entry for piece in pieces if (entry := piece.strip(_SEPARATORS + " \t"))]


def _scale(found: list[tuple[int, str, re.Match | None]]) -> int:
    """100 for percentages; 1 for a list written as fractions (0.29 for 29 %): no line says
    %, every share is at most 1 and one has a decimal point."""
    figures = [match.groups() for _n, _e, match in found if match]
    as_fractions = (
        bool(figures)
        and not any(percent for _f, percent in figures)
        and all(float(figure) <= 1 for figure, _p in figures)
        and any("." in figure for figure, _p in figures)
    )
    return 1 if as_fractions else 100


def _read_line(
    number: int, line: str, match: re.Match | None, scale: int, dimension: str | None
) -> ShareLine:
    label = line[: match.start()].rstrip(" :=\t")[:40] if match else ""
    if match is None or not label:
        raise ValueError(
            _("Line %(line)s: write “bucket: share”, e.g. “18-24: 29%%”.") % {"line": number}
        )
    share = float(match.group(1)) / scale
    if share > 1:
        raise ValueError(_("Line %(line)s: a share cannot exceed 100 %%.") % {"line": number})
    key = labels.read_label(dimension, label) if dimension else None
    stored = key if key is not None else labels.stored_label(dimension or "", label)
    kept = key is None and dimension == labels.CITIES and labels.city_with_country(label)
    return ShareLine(
        typed=label, share=round(share, 4), key=stored, known=key is not None, kept=kept
    )


def _label_problems(lines: list[ShareLine], dimension: str | None) -> list[str]:
    problems = []
    unknown = [line.typed for line in lines if not line.known and not line.kept]
    if dimension == labels.CITIES:
        countries = [t for t in unknown if labels.read_country(t) is not None]
        unknown = [t for t in unknown if t not in countries]
        if countries:
            problems.append(
                _("%(labels)s: a country, not a city. Put it under Countries.")
                % {"labels": quoted(countries)}
            )
    if unknown and dimension in UNKNOWN_LABEL_MESSAGES:
        problems.insert(0, UNKNOWN_LABEL_MESSAGES[dimension] % {"labels": quoted(unknown)})
    spellings: dict[str, list[str]] = {}
    for line in lines:
        spellings.setdefault(line.key, []).append(line.typed)
    for key, typed in spellings.items():
        if len(typed) > 1:
            problems.append(
                _("%(labels)s are one bucket (%(bucket)s): write it once.")
                % {"labels": quoted(typed), "bucket": label_name(dimension or "", key)}
            )
    return problems


UNKNOWN_LABEL_MESSAGES = {
    labels.GENDER: gettext_lazy(
        "Not a gender KOLHub knows: %(labels)s. Write female, male or other (女性, 男性, 其他)."
    ),
    labels.AGE: gettext_lazy(
        "Not an age bucket platforms report: %(labels)s. Use 13-17, 18-24, 25-34, 35-44, "
        "45-54, 55-64 and 65+ (or 55+)."
    ),
    labels.COUNTRIES: gettext_lazy(
        "Not a country or region KOLHub knows: %(labels)s. Write its name (台灣, Japan) or "
        "its ISO code (TW, JP)."
    ),
    labels.CITIES: gettext_lazy(
        "Not a city KOLHub knows: %(labels)s. Write a city of Taiwan (台北市, Hsinchu) or a "
        "big foreign one (東京, Seoul); name any other city with its country, as platforms do: "
        "“Kobe, Japan”, “檳城, 馬來西亞”."
    ),
}


def quoted(texts: list[str]) -> str:
    """“a”, “b” (“a”、“b” in Chinese)."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(f"“{text}”" for text in texts)


def label_name(dimension: str, key: str) -> str:
    """A bucket's key as the reader's language names it: TW → 台灣 (TW) or Taiwan (TW)."""
    chinese = (get_language() or "").startswith("zh")
    if dimension == labels.GENDER:
        names = {"female": _("Female"), "male": _("Male"), "other": _("Other")}
        return str(names.get(key, key))
    if dimension == labels.COUNTRIES and key in labels.country_codes():
        return f"{labels.country_name(key, chinese=chinese)} ({key})"
    if dimension == labels.CITIES:
        return labels.city_name(key, chinese=chinese)
    return key


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
