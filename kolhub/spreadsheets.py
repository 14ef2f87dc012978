"""Spreadsheets in and out, for every app: reading an uploaded CSV or XLSX into a table of
strings, the errors and summary an import reports, the base of the import commands, and the
formula neutralising every exported text cell goes through."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pandas import DataFrame

from kolhub.formatting import grouped
from kolhub.models import Workspace

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000

# A cell starting with one of these is a formula to Excel/Sheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (empty, too large, not a spreadsheet)."""


@dataclass(slots=True)  # a file of 100,000 bad rows has as many: no __dict__ each
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False
    # Columns of the file that no field took, for the imports that report them (None: one
    # that does not).
    unmapped_columns: list[str] | None = None

    def as_dict(self) -> dict:
        summary = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": self.errors,
            "dry_run": self.dry_run,
        }
        if self.unmapped_columns is not None:
            summary["unmapped_columns"] = self.unmapped_columns
        return summary


XLSX_MAGIC = b"PK\x03\x04"  # a workbook is a zip archive

# What a workbook may hold once unzipped. A 20 MB upload can unzip to gigabytes of XML (a
# "zip bomb"); reading XML streams at a few MB a second, so this also bounds the time a read
# can take (see "Bounded work per request" in docs/architecture.md).
MAX_WORKBOOK_XML_BYTES = 200 * 1024 * 1024
MAX_IMPORT_COLUMNS = 200
PROGRESS_EVERY_ROWS = 2_000

ProgressCallback = Callable[[int], None]


def workbook_check(data: bytes, *, max_xml_bytes: int | None = None) -> None:
    """Refuse, from the zip's directory alone (no XML read), what is not a workbook or would
    unzip to more than `max_xml_bytes`. Reading never goes past these declared sizes: the zip
    reader stops at a member's declared size and fails its checksum."""
    if max_xml_bytes is None:
        max_xml_bytes = MAX_WORKBOOK_XML_BYTES
    if data[:4] != XLSX_MAGIC:
        raise ImportFileError(_("This file is not a valid .xlsx workbook."))
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("This file is not a valid .xlsx workbook.")) from None
    unzipped = sum(member.file_size for member in members)
    if unzipped > max_xml_bytes:
        raise ImportFileError(
            _(
                "The workbook unzips to %(size)s MB; the limit is %(limit)s MB. Save it as CSV "
                "or split it into smaller files."
            )
            % {"size": grouped(unzipped // (1024 * 1024)), "limit": max_xml_bytes // (1024 * 1024)}
        )


def read_workbook(
    data: bytes,
    *,
    header: bool = True,
    max_rows: int | None = None,
    max_xml_bytes: int | None = None,
    max_columns: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """The first sheet of an .xlsx workbook as strings ("" for an empty cell), read row by row
    and stopped at the first row past `max_rows` (the header not counted); without `header`,
    every row is data, and at the first cell past `max_columns`. ImportFileError says why it
    cannot be read."""
    workbook_check(data, max_xml_bytes=max_xml_bytes)
    if max_rows is None:
        max_rows = MAX_IMPORT_ROWS
    try:
        limits = _Limits(max_rows, max_columns or MAX_IMPORT_COLUMNS, int(header))
        rows = _sheet_rows(data, limits, on_progress)
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many types for broken workbooks (XML, zip, keys)
        raise ImportFileError(
            _("The workbook cannot be read: it is damaged or not saved by a spreadsheet program.")
        ) from None
    if not header:
        return pd.DataFrame(rows, dtype=str)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    return pd.DataFrame(rows[1:], columns=header_names(rows[0]), dtype=str)


@dataclass(frozen=True)
class _Limits:
    rows: int
    columns: int
    header_rows: int


def _sheet_rows(
    data: bytes, limits: _Limits, on_progress: ProgressCallback | None
) -> list[list[str]]:
    """The sheet's rows as text, equally wide, without trailing empty rows and cells."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # The declared size may lie (a one-cell sheet "A1:XFD1048576"): read what is there.
        sheet.reset_dimensions()
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(_row_text(values, limits.columns))
            if len(rows) > limits.rows + limits.header_rows:
                raise _too_many_rows(limits.rows)
            if on_progress and len(rows) % PROGRESS_EVERY_ROWS == 0:
                on_progress(len(rows))
    finally:
        book.close()
    while rows and not rows[-1]:
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _row_text(values: tuple, most: int) -> list[str]:
    beyond = values[most:]
    if beyond.count(None) != len(beyond):  # counted in C: a row may be 16,384 cells wide
        raise _too_many_columns(most)
    cells = [_cell_text(value) for value in values[:most]]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _cell_text(value: object) -> str:
    """A cell as pandas would give it with dtype=str: whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_names(cells: list[str]) -> list[str]:
    """Header cells as column names: blanks named by position, repeats numbered (as pandas)."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = cell.strip() or f"Unnamed: {position}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _too_many_columns(limit: int) -> ImportFileError:
    return ImportFileError(_("The sheet has more than %(limit)s columns.") % {"limit": limit})


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": grouped(limit)}
    )


def read_table(
    data: bytes, filename: str, *, on_progress: ProgressCallback | None = None
) -> pd.DataFrame:
    """The file as a DataFrame of strings; ImportFileError says why it cannot be read.
    A workbook is read row by row (`on_progress` hears how many), and no file past the
    limits is read further than it takes to know."""
    table_check(data, filename)
    if is_workbook(data, filename):
        frame = read_workbook(data, on_progress=on_progress)
    else:
        frame = _read_csv(data)
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(frame) > MAX_IMPORT_ROWS:
        raise _too_many_rows(MAX_IMPORT_ROWS)
    return frame


def table_check(data: bytes, filename: str) -> None:
    """What can be refused in milliseconds, before a worker reads the whole file."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    if is_workbook(data, filename):
        workbook_check(data)
    else:
        _check_csv_width(_decode_csv(data))


def is_workbook(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == XLSX_MAGIC


def _read_csv(data: bytes) -> pd.DataFrame:
    """The CSV as a workbook is read: the first row names the columns, every row is padded to
    the widest (a title line of one cell above the real header is common, and rows wider than
    the header keep their cells in columns of their own, to be reported, never dropped)."""
    # The text goes once it is split into cells (table_check has checked the header's width).
    rows = _csv_rows(_decode_csv(data))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError(_("The file is empty."))
    width = max(len(row) for row in rows)
    for row in rows:  # in place: a padded copy of every row was a second table in memory
        row.extend([""] * (width - len(row)))
    return pd.DataFrame(rows[1:], columns=header_names(rows[0]), dtype=str)


def _csv_rows(text: str) -> list[list[str]]:
    """The rows, read strictly to catch a quote left open (it would swallow the rest of the
    file), else leniently: a stray quote inside a cell (名"字) is text."""
    try:
        return _bounded_rows(csv.reader(_lines(text), skipinitialspace=True, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ImportFileError(
                _("A quote opened on line %(line)s of the file is never closed.")
                % {"line": _line_of_open_quote(text)}
            ) from None
        return _bounded_rows(csv.reader(_lines(text), skipinitialspace=True))


def _lines(text: str) -> Iterator[str]:
    """The lines of the text as io.StringIO(text) gives them, each with its "\n", one at a
    time: a StringIO holds a copy of the whole text at 4 bytes a character (17 MB for a 5 MB
    file), beside the text and the cells read from it."""
    start, end_of_text = 0, len(text)
    while start < end_of_text:
        end = text.find("\n", start) + 1 or end_of_text
        yield text[start:end]
        start = end


def _bounded_rows(reader: Iterator[list[str]]) -> list[list[str]]:
    """At most one row more than allowed (which tells that there are more), each no wider
    than the column limit."""
    rows: list[list[str]] = []
    for cells in reader:
        if len(cells) > MAX_IMPORT_COLUMNS:
            raise _too_many_columns(MAX_IMPORT_COLUMNS)
        rows.append(cells)
        if len(rows) > MAX_IMPORT_ROWS + 1:
            break
    return rows


def _line_of_open_quote(text: str) -> int:
    """The line where the last quoted cell starts that no quote closes."""
    line, inside, opened = 1, False, 1
    for char in text:
        if char == '"':
            inside = not inside
            opened = line if inside else opened
        elif char == "\n":
            line += 1
    return opened


def _check_csv_width(text: str) -> None:
    """Refuse a header row wider than the limit before pandas builds a column for each cell."""
    try:
        header = next(csv.reader(_lines(text)), [])
    except csv.Error:
        return  # pandas names the line that is wrong
    if len(header) > MAX_IMPORT_COLUMNS:
        raise _too_many_columns(MAX_IMPORT_COLUMNS)


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor Big5 (CP950) text."))


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe; control
    characters (which XLSX cannot hold) are dropped."""
    if not isinstance(value, str):
        return value
    text: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class ImportCommand(BaseCommand):
    """`manage.py <command> PATH --workspace SLUG [--dry-run] [--skip-invalid]`: read the file,
    hand its table to `import_table`, print the summary as JSON and exit 1 on any error."""

    skip_invalid_help = "write the valid rows, skip the others"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--workspace", required=True, help="the workspace's URL name (slug)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count only")
        parser.add_argument("--skip-invalid", action="store_true", help=self.skip_invalid_help)

    def import_table(self, frame: DataFrame, workspace: Workspace, **options: Any) -> ImportSummary:
        """Validate and write the table; `options` are the command's (dry_run, skip_invalid…)."""
        raise NotImplementedError

    def handle(
        self,
        *args: Any,
        path: Path,
        workspace: str,
        dry_run: bool,
        skip_invalid: bool,
        **options: Any,
    ) -> None:
        try:
            target = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with the URL name {workspace!r}.") from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            frame = read_table(data, path.name)
        except ImportFileError as exc:
            summary = ImportSummary(errors=[RowError(0, "", str(exc)).as_dict()], dry_run=dry_run)
        else:
            options.update(dry_run=dry_run, skip_invalid=skip_invalid)
            summary = self.import_table(frame, target, **options)
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if summary.errors:
            raise SystemExit(1)
