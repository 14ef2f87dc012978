"""Tables in a PDF (fpdf2) that keep every figure on one line.

Tables are sized from what they hold, measured in the font they are printed in
(FPDF.get_string_width), because fixed column shares broke figures inside their cells
("220,05" over "0", "-100.0" over "%", 無法計 over 算): a client reads those as two numbers.
A figure, a handle, a tier or a platform never wraps: its column is at least as wide as its
widest cell. Only names, formulas and notes wrap, at spaces (a Chinese name also between
characters), and headings wrap at their spaces. What room is left goes to the cells, then the
headings, that would otherwise wrap. A table too wide for the page at its size is printed a
little smaller (down to 6 pt, still legible on paper); wider still, it is split into parts
one under the other, each repeating the first column (the creator, tier or platform) so
every row reads on its own, rather than shrinking the figures below what a client can
read. Landscape A4 already gives the widest page a client prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

HEADER_FILL = (238, 240, 245)

FIGURE, LABEL, TEXT = "figure", "label", "text"
# A word of a name or formula wider than this may break (Chinese names have no spaces).
LONGEST_UNBROKEN_WORD = 30.0
# The smallest type a table is printed in before it is split into parts.
SMALLEST_TABLE_SIZE = 6.0
# get_string_width rounds differently from the line breaking: a hair of room avoids a wrap.
WIDTH_SLACK = 0.4
# The most room added between the columns of a table narrower than the page.
COLUMN_AIR = 4.0


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str  # FIGURE (right-aligned), LABEL or TEXT


def table(pdf: FPDF, columns: list[Column], rows: list[list[str]], size: float = 8) -> None:
    """Prints `rows` under `columns` at `size` pt or smaller, split into parts if need be."""
    for part_size, part in _parts(pdf, columns, rows, size):
        _print_part(
            pdf, [columns[i] for i in part], [[row[i] for i in part] for row in rows], part_size
        )
    pdf.set_font_size(8)


def _parts(
    pdf: FPDF, columns: list[Column], rows: list[list[str]], size: float
) -> list[tuple[float, list[int]]]:
    """The font size and the column indexes of each part the table is printed in."""
    everything = list(range(len(columns)))
    while True:
        pdf.set_font_size(size)
        if sum(_least_widths(pdf, columns, rows)) <= pdf.epw:
            return [(size, everything)]
        if size <= SMALLEST_TABLE_SIZE:
            break
        size = max(SMALLEST_TABLE_SIZE, size - 0.5)
    least = _least_widths(pdf, columns, rows)
    parts: list[list[int]] = [[0]]
    for i in everything[1:]:
        if len(parts[-1]) > 1 and sum(least[j] for j in [*parts[-1], i]) > pdf.epw:
            parts.append([0])
        parts[-1].append(i)
    return [(size, part) for part in parts]


def _print_part(pdf: FPDF, columns: list[Column], rows: list[list[str]], size: float) -> None:
    pdf.set_font_size(size)
    widths = _widths(pdf, columns, rows)
    with pdf.table(
        col_widths=widths,
        width=min(sum(widths), pdf.epw),
        align="LEFT",
        headings_style=FontFace(fill_color=HEADER_FILL),
        line_height=size * 0.62,
        text_align=tuple("RIGHT" if c.kind == FIGURE else "LEFT" for c in columns),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row([c.heading for c in columns])
        for row in rows:
            table.row(row)
    pdf.ln(2)


def _widths(pdf: FPDF, columns: list[Column], rows: list[list[str]]) -> list[float]:
    """Each column's least width; then the page's remaining room goes first to the cells
    that would wrap (a name on two lines makes a row taller), then to the headings, each in
    proportion to what it lacks to fit on one line. A table that then fits with room to
    spare stays that narrow, with a little air per column: figures far from their labels
    across an empty page are harder to read than a compact table."""
    widths = _least_widths(pdf, columns, rows)
    one_line_cells = [
        max([widths[i], *(_width(pdf, row[i]) for row in rows)]) for i in range(len(columns))
    ]
    one_line_headings = [
        max(one_line_cells[i], _width(pdf, column.heading)) for i, column in enumerate(columns)
    ]
    for wanted in (one_line_cells, one_line_headings):
        widths = _grown_towards(widths, wanted, pdf.epw - sum(widths))
    air = min(COLUMN_AIR, max(0.0, pdf.epw - sum(widths)) / len(widths))
    return [width + air for width in widths]


def _grown_towards(widths: list[float], wanted: list[float], room: float) -> list[float]:
    lacking = [max(0.0, want - width) for want, width in zip(wanted, widths, strict=True)]
    share = min(1.0, max(0.0, room) / sum(lacking)) if sum(lacking) else 0.0
    return [width + gap * share for width, gap in zip(widths, lacking, strict=True)]


def _least_widths(pdf: FPDF, columns: list[Column], rows: list[list[str]]) -> list[float]:
    """The narrowest each column can be without breaking a figure, a label or a word."""
    return [
        max(
            [
                *(_width(pdf, word) for word in column.heading.split()),
                *(_least_width(pdf, row[i], column.kind) for row in rows),
                2 * pdf.c_margin,
            ]
        )
        for i, column in enumerate(columns)
    ]


def _least_width(pdf: FPDF, text: str, kind: str) -> float:
    if kind != TEXT:
        return _width(pdf, text)
    words = [min(_width(pdf, word), LONGEST_UNBROKEN_WORD) for word in text.split()]
    return max(words, default=0)


def _width(pdf: FPDF, text: str) -> float:
    """The width `text` needs in a cell, its widest line when it has several."""
    widest = max(pdf.get_string_width(line) for line in text.split("\n"))
    return widest + 2 * pdf.c_margin + WIDTH_SLACK
