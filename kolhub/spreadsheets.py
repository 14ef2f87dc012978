"""Spreadsheets in and out, for every app: reading an uploaded CSV or XLSX into a table of
strings, the errors and summary an import reports, the base of the import commands, and the
formula neutralising every exported text cell goes through."""

from __future__ import annotations

import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pandas import DataFrame

from kolhub.models import Workspace

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000

# A cell starting with one of these is a formula to Excel/Sheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (empty, too large, not a spreadsheet)."""


@dataclass
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

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": self.errors,
            "dry_run": self.dry_run,
        }


XLSX_MAGIC = b"PK\x03\x04"  # a workbook is a zip archive


def read_workbook(data: bytes, *, header: int | None = 0) -> pd.DataFrame:
    """The first sheet of an .xlsx workbook as strings (`header=None`: every row as data);
    ImportFileError says why it cannot be read."""
    if data[:4] != XLSX_MAGIC:
        raise ImportFileError(_("This file is not a valid .xlsx workbook."))
    try:
        return pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl", header=header)
    except Exception as exc:  # openpyxl raises many types for broken workbooks (XML, zip, keys)
        raise ImportFileError(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """The file as a DataFrame of strings; ImportFileError says why it cannot be read."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == XLSX_MAGIC:
        frame = read_workbook(data)
    else:
        frame = _read_csv(data)
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(frame) > MAX_IMPORT_ROWS:
        raise ImportFileError(
            _("The file has %(rows)s rows; the limit is %(limit)s.")
            % {"rows": len(frame), "limit": MAX_IMPORT_ROWS}
        )
    return frame


def _read_csv(data: bytes) -> pd.DataFrame:
    too_wide = _(
        "Line %(line)s of the file has more cells than the header row, or an unclosed quote."
    )
    try:
        with warnings.catch_warnings():
            # index_col=False: extra cells must not silently become an index and shift the
            # columns; pandas only warns about them, so the warning is made an error.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(_decode_csv(data)),
                dtype=str,
                keep_default_na=False,
                skipinitialspace=True,
                on_bad_lines="error",
                index_col=False,
            )
    except pd.errors.EmptyDataError:
        raise ImportFileError(_("The file is empty.")) from None
    except pd.errors.ParserWarning:
        raise ImportFileError(_("Some rows have more cells than the header row.")) from None
    except pd.errors.ParserError as exc:
        # pandas says e.g. "Expected 3 fields in line 7, saw 4": name the line for the user.
        line = re.search(r"line (\d+)", str(exc))
        if line is None:
            raise ImportFileError(_("The file is not valid CSV.")) from None
        raise ImportFileError(too_wide % {"line": line.group(1)}) from None


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
