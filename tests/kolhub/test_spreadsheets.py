"""The bounded workbook reader: cells read as people typed them, rows where they are."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from kolhub.spreadsheets import read_table, read_workbook


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
