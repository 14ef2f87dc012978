"""Writing the spreadsheets people open in Excel or Numbers: a figure stays a number (sums,
sorts and charts work on it) and is shown as what it is, an amount with its currency code, a
percentage, a count grouped by thousands; the header row stays in view while scrolling.

The CSV side: a count column with a gap would be written by pandas as floats (1591845.0);
`whole_numbers` keeps such columns integers, with an empty cell for the gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

COUNT = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.0%"
PERCENT_FINE = "0.00%"
RATIO = '0.00"×"'
SCORE = "0"
# Widths in characters: a Chinese character takes about two.
MIN_WIDTH, MAX_WIDTH = 8, 48

# A format for the whole column, or one per data row (an amount whose currency varies by row).
Formats = Mapping[str, str | Sequence[str]]


def money_format(currency: str, value: Any = None) -> str:
    """'"TWD" #,##0' (or #,##0.00 when the amount has cents): the code before the amount, as in
    the app, while the cell stays a number."""
    code = re.sub(r"[^A-Z]", "", str(currency).upper())[:3]
    digits = DECIMAL if value is not None and not _whole(value) else COUNT
    return f'"{code}" {digits}' if code else digits


def _whole(value: Any) -> bool:
    try:
        return float(value).is_integer()
    except (TypeError, ValueError):
        return True


def whole_numbers(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """The named columns with whole values as integers (1591845, not 1591845.0; 229400, not
    229400.0) and the others as they are: a count split between platforms can be 0.5, and
    rounding it would make the rows disagree with their total."""
    frame = frame.copy()
    for column in columns:
        if column in frame.columns:
            frame[column] = pd.Series(
                [_whole_or_float(value) for value in frame[column]], index=frame.index, dtype=object
            )
    return frame


def _whole_or_float(value: Any) -> int | float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def layout_sheet(sheet: Worksheet, frame: pd.DataFrame, formats: Formats) -> None:
    """Number formats by header, the header row frozen, columns wide enough to read."""
    sheet.freeze_panes = "A2"
    headers = [str(column) for column in frame.columns]
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        wanted = formats.get(header)
        if wanted is not None:
            for row, cell in enumerate(sheet[letter][1:]):
                cell_format = wanted if isinstance(wanted, str) else wanted[row]
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = cell_format
        sheet.column_dimensions[letter].width = _width(header, frame[frame.columns[index - 1]])


def _width(header: str, values: pd.Series) -> float:
    sample = [header, *(str(value) for value in values.head(200) if value is not None)]
    longest = max(sum(2 if ord(char) > 0x2E7F else 1 for char in text) for text in sample)
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
