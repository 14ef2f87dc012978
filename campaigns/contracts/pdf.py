"""The contract as a portrait A4 PDF, with the report PDF stack: fpdf2 and the bundled Noto Sans
TC (kolhub.charts.add_cjk_font), so Chinese prints the same on any machine."""

from __future__ import annotations

import hashlib
import re

from django.core.cache import cache
from fpdf import FPDF
from fpdf.enums import WrapMode

from campaigns.contracts.document import HEADING, Contract
from kolhub.charts import add_cjk_font
from kolhub.fragments import release

FONT = "NotoSansTC"
MUTED = (107, 115, 144)
# multi_cell measures a little differently from the sum of the tokens: a hair of room.
WIDTH_SLACK = 0.5
INK = (20, 24, 40)
CACHE_SECONDS = 24 * 3600


class ContractPdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", format="A4")
        add_cjk_font(self, FONT)
        self.set_font(FONT, size=10)
        self.set_title(title)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)
        self.contract_title = title

    def footer(self) -> None:
        self.set_y(-12)
        self.set_text_color(*MUTED)
        self.set_font_size(8)
        self.cell(0, 5, f"{self.contract_title} · {self.page_no()}", align="R")
        self.set_text_color(*INK)


# Punctuation that never starts a line in Chinese typesetting: it stays with what precedes it.
NO_LINE_START = set("，。、；：！？）」』》〉】,.;:!?)]}%")
# A run of Latin letters, digits and their punctuation is a word: it never breaks inside
# (a date or an amount split over two lines reads as two figures).
TOKEN = re.compile(r"[\x21-\x7e\u00a0-\u024f\u2013\u2014\u2026]+|\s+|.", re.DOTALL)


def _tokens(text: str) -> list[str]:
    """Words and single CJK characters, closing punctuation glued to the token before it."""
    tokens: list[str] = []
    for token in TOKEN.findall(text):
        if tokens and token[0] in NO_LINE_START and not tokens[-1].isspace():
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def cjk_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` broken into lines no wider than `width`: between CJK characters and at spaces,
    never inside a Latin word or figure, never before closing punctuation."""
    lines: list[str] = []
    for paragraph_line in text.split("\n"):
        line, used = "", 0.0
        for token in _tokens(paragraph_line):
            # Widths add up token by token: measuring the whole line each time is quadratic.
            token_width = pdf.get_string_width(token)
            if line and used + token_width > width:
                lines.append(line.rstrip())
                line, used = ("", 0.0) if token.isspace() else (token, token_width)
            else:
                line, used = line + token, used + token_width
        lines.append(line.rstrip())
    return lines


def _text(pdf: FPDF, text: str, height: float, chinese: bool) -> None:
    if chinese:
        # One line at a time as laid out here; CHAR only splits a word wider than the page.
        text = "\n".join(cjk_lines(pdf, text, pdf.epw - 2 * pdf.c_margin - WIDTH_SLACK))
    wrap = WrapMode.CHAR if chinese else WrapMode.WORD
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)


def contract_pdf(contract: Contract) -> bytes:
    """The contract's PDF. Typesetting the CJK font's subset takes a few hundred milliseconds,
    and the same text prints the same: kept in the cache by its text and the release, so a
    preview downloaded again, or issued as it was previewed, is not typeset twice."""
    key = "contract-pdf:" + hashlib.sha256(repr((contract, release())).encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = _typeset(contract)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _typeset(contract: Contract) -> bytes:
    """The contract's headings and paragraphs, the first heading as its title."""
    pdf = ContractPdf(contract.title)
    pdf.add_page()
    chinese = contract.language.startswith("zh")
    for index, (kind, text) in enumerate(contract.blocks):
        if kind == HEADING:
            size = 16 if index == 0 else 12
            pdf.set_font_size(size)
            pdf.ln(3)
            _text(pdf, text, size * 0.55, chinese)
            pdf.ln(1)
            pdf.set_font_size(10)
        else:
            _text(pdf, text, 5.6, chinese)
            pdf.ln(2)
    return bytes(pdf.output())
