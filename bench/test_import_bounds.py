"""Bounded spreadsheet reading: what an upload request does, and how soon a worker gives up
on a file past the limits (issue 15's "XLSX bomb": 1,000,000 one-cell rows zipped to ~150 KB).
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from bench.conftest import report
from kolhub.spreadsheets import (
    MAX_IMPORT_ROWS,
    ImportFileError,
    read_table,
    table_check,
)

BOMB_ROWS = 1_000_000
WIDE_ROWS = 20_000


def _workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    skeleton = io.BytesIO()
    Workbook().save(skeleton)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = sheet_xml if item.filename.endswith("sheet1.xml") else source.read(item)
            target.writestr(item.filename, content)
    return out.getvalue()


def _sheet(rows: int, cell: str) -> bytes:
    body = "".join(f'<row r="{n}">{cell.format(n=n)}</row>' for n in range(1, rows + 1))
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


@pytest.fixture(scope="module")
def row_bomb() -> bytes:
    return _workbook_with_sheet(
        _sheet(BOMB_ROWS, '<c r="A{n}" t="inlineStr"><is><t>x</t></is></c>')
    )


@pytest.fixture(scope="module")
def column_bomb() -> bytes:
    """Every row's one cell in the last column: 16,384 cells a row to a naive reader."""
    return _workbook_with_sheet(_sheet(WIDE_ROWS, '<c r="XFD{n}"><v>1</v></c>'))


def _refusal_seconds(benchmark, data: bytes, expected: str) -> float:
    def refuse() -> None:
        with translation.override("en"), pytest.raises(ImportFileError, match=expected):
            read_table(data, "bomb.xlsx")

    started = time.perf_counter()
    benchmark.pedantic(refuse, rounds=1, iterations=1)
    return time.perf_counter() - started


def test_upload_request_checks_a_bomb_in_milliseconds(benchmark, budget, row_bomb):
    print(f"\nrow bomb: {len(row_bomb) // 1024:,} KB zipped")
    benchmark(table_check, row_bomb, "bomb.xlsx")
    budget("upload request's check of the row bomb", 0.05)


def test_worker_gives_up_on_the_row_bomb_at_the_row_limit(benchmark, row_bomb):
    seconds = _refusal_seconds(benchmark, row_bomb, f"more than {MAX_IMPORT_ROWS:,} rows")
    # In the worker, with the page showing the rows read so far; the request took milliseconds.
    name = f"worker refusing {BOMB_ROWS:,} one-cell rows (reads {MAX_IMPORT_ROWS:,} + 1)"
    report(name, seconds, 30)
    assert seconds <= 30


def test_worker_gives_up_on_the_column_bomb_at_its_first_row(benchmark, column_bomb):
    seconds = _refusal_seconds(benchmark, column_bomb, "more than 200 columns")
    report(f"worker refusing {WIDE_ROWS:,} rows with a cell in column XFD", seconds, 0.5)
    assert seconds <= 0.5
