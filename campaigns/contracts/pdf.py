"""The contract as a portrait A4 PDF, with the report PDF stack: fpdf2 and the bundled Noto Sans
TC (kolhub.charts.cjk_font_path), so Chinese prints the same on any machine."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import WrapMode

from campaigns.contracts.document import HEADING, Contract
from kolhub.charts import cjk_font_path

FONT = "NotoSansTC"
MUTED = (107, 115, 144)
INK = (20, 24, 40)


class ContractPdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", format="A4")
        self.add_font(FONT, "", cjk_font_path())
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


def contract_pdf(contract: Contract) -> bytes:
    """The contract's headings and paragraphs, the first heading as its title."""
    pdf = ContractPdf(contract.title)
    pdf.add_page()
    # Chinese has no spaces to wrap at: it breaks between characters; English between words.
    wrap = WrapMode.CHAR if contract.language.startswith("zh") else WrapMode.WORD
    for index, (kind, text) in enumerate(contract.blocks):
        if kind == HEADING:
            size = 16 if index == 0 else 12
            pdf.set_font_size(size)
            pdf.ln(3)
            pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)
            pdf.ln(1)
            pdf.set_font_size(10)
        else:
            pdf.multi_cell(0, 5.6, text, new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)
            pdf.ln(2)
    return bytes(pdf.output())
