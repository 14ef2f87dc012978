"""The bounded workbook reader: cells read as people typed them, rows where they are."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc

import pytest
from openpyxl import Workbook

from kolhub.spreadsheets import _csv_rows, _lines, read_table, read_workbook


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_read_as_text_as_people_typed_them():
    data = workbook(
        [
            ["name", "followers", "rate", "joined", "active"],
            ["Mei", 12000.0, 1.5, dt.datetime(2026, 1, 2), True],
        ]
    )
    row = read_table(data, "x.xlsx").iloc[0].tolist()
    assert row == ["Mei", "12000", "1.5", "2026-01-02 00:00:00", "True"]


def test_blank_rows_keep_their_place_and_trailing_ones_go():
    data = workbook([["name"], ["Mei"], [None], ["Hong"], [None], [None]])
    assert read_table(data, "x.xlsx")["name"].tolist() == ["Mei", "", "Hong"]


def test_headers_blank_or_repeated_get_names_of_their_own():
    data = workbook([["IG", None, "IG", "IG"], ["a", "b", "c", "d"]])
    assert list(read_table(data, "x.xlsx").columns) == ["IG", "Unnamed: 1", "IG.1", "IG.2"]


def test_rows_narrower_than_others_are_padded():
    frame = read_workbook(workbook([["a", "b", "c"], ["1"]]), header=False)
    assert frame.values.tolist() == [["a", "b", "c"], ["1", "", ""]]


def test_progress_is_reported_while_reading():
    seen: list[int] = []
    data = workbook([["name"]] + [[f"c{n}"] for n in range(4_500)])
    read_workbook(data, on_progress=seen.append)
    assert seen == [2_000, 4_000]


def memory_only_while(work):
    """What `work` returns, and the bytes it allocated beyond what it kept (tracemalloc's
    count, not the process's: the same on every run)."""
    tracemalloc.start()
    try:
        result = work()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak - kept


def test_the_rows_of_a_csv_are_read_without_a_copy_of_its_whole_text():
    """A StringIO of the text held a copy of it at 4 bytes a character while the cells were
    read: 17 MB more for a 5 MB file of a 50,000-row import (bench/test_creators.py)."""
    text = "name,handle,followers\n" + "".join(
        f"creator {n},creator.{n},{n * 7}\n" for n in range(20_000)
    )
    rows, transient = memory_only_while(lambda: _csv_rows(text))
    assert len(rows) == 20_001 and rows[-1] == ["creator 19999", "creator.19999", "139993"]
    assert transient < len(text) // 2


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "\n\n", "a,b\r\nc,d\r\n", 'a\rb\n"c\nd"\ne', "x\u2028y\nz\x85w\x0cv"],
)
def test_csv_lines_are_split_as_a_text_file_reads_them(text):
    assert list(_lines(text)) == list(io.StringIO(text))
