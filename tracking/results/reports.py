"""The campaign report as files: XLSX (every table, for working on) and PDF (to hand over),
both in the reader's language, both from the stored figures.

Every text cell of the XLSX goes through kolhub.spreadsheets.neutralise, so a creator called
"=HYPERLINK(…)" stays text. The PDF embeds a subset of Noto Sans TC from an installed package,
so its Chinese shows on a machine without CJK fonts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl.drawing.image import Image as XlsxImage

from campaigns.models import Campaign, funnel_position
from creators.export import account_url, by_followers
from creators.models import SocialAccount
from kolhub import charts, workbooks
from kolhub.formatting import NOT_AVAILABLE
from kolhub.pdf_tables import FIGURE, LABEL, TEXT, Column
from kolhub.pdf_tables import table as pdf_table
from kolhub.spreadsheets import neutralise
from tracking.models import AttributionRule, CampaignResult, Conversion, Post, PostStatus
from tracking.results import dashboards
from tracking.results.figures import COUNTERS

# Pixels: about ten spreadsheet columns.
XLSX_CHART_WIDTH = 720

INK = (29, 35, 56)
MUTED = (110, 118, 140)


@dataclass(frozen=True)
class ReportData:
    campaign: Campaign
    result: CampaignResult
    cards: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    # Each creator's main account (the one with the most followers), by creator id.
    profile_urls: dict[int, str]


def report_data(campaign: Campaign, result: CampaignResult) -> ReportData:
    """What both files show, in five queries whatever the campaign's size."""
    posts: list[dict[str, Any]] = list(
        Post.objects.filter(workspace_id=campaign.workspace_id, collaboration__campaign=campaign)
        .order_by("collaboration__creator__display_name", "published_at", "pk")
        .values(
            "collaboration__creator__display_name",
            "platform",
            "url",
            "status",
            "published_at",
            *COUNTERS,
        )
    )
    orders: list[dict[str, Any]] = [
        dict(row)
        for row in Conversion.objects.filter(
            workspace_id=campaign.workspace_id, collaboration__campaign=campaign
        )
        .order_by("occurred_at", "pk")
        .values(
            "order_id",
            "occurred_at",
            "amount",
            "refunded",
            "currency",
            "cancelled",
            "rule",
            "promo_code",
            "collaboration__creator__display_name",
        )
    ]
    cards = dashboards.kpi_cards(campaign, result.report, timezone.localdate())
    creators = {row["creator"] for row in result.report.get("creators", []) if "creator" in row}
    return ReportData(
        campaign, result, cards, posts, orders, main_profile_urls(campaign.workspace_id, creators)
    )


def main_profile_urls(workspace_id: int, creator_ids: set[int]) -> dict[int, str]:
    accounts: dict[int, list[SocialAccount]] = {}
    for account in SocialAccount.objects.filter(
        workspace_id=workspace_id, creator_id__in=creator_ids
    ).only("pk", "creator_id", "platform", "handle", "profile_url", "platform_id", "followers"):
        accounts.setdefault(account.creator_id, []).append(account)
    return {creator: account_url(by_followers(found)[0]) for creator, found in accounts.items()}


# --- Tables shared by both files ---------------------------------------------


def summary_names() -> list[str]:
    """The campaign figures down the funnel (campaigns.models.FUNNEL_ORDER)."""
    return sorted(dashboards.FIGURES, key=funnel_position)


def summary_rows(data: ReportData) -> list[tuple[str, Any, str, str, str]]:
    """(figure, value, its formatted form, formula, the posts it covers when not all) for
    every campaign figure, down the funnel."""
    report = data.result.report
    return [
        (
            str(figure.label),
            report.get(name),
            dashboards.format_figure(report.get(name), figure.kind, data.campaign.currency),
            str(figure.formula),
            dashboards.coverage_note(report, name),
        )
        for name in summary_names()
        for figure in [dashboards.FIGURES[name]]
    ]


def coverage_column(row: dict[str, Any]) -> str:
    """The rates of a row computed over fewer than all its posts: "Engagement rate 7/9"."""
    return " · ".join(
        f"{dashboards.FIGURES[name].label} {short}"
        for name in dashboards.COVERAGE_SHOWN
        if (short := dashboards.coverage_short(row, name))
    )


def creator_rows(
    creators: list[dict[str, Any]], profile_urls: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    """One row per creator; with `profile_urls` (the XLSX) a Profile URL column after the name."""
    names = ["posts", *dashboards.BREAKDOWN, "emv"]
    return [
        {
            _("Creator"): row["handle"],
            _("Name"): row["name"],
            **(
                {_("Profile URL"): profile_urls.get(row.get("creator", 0), "")}
                if profile_urls is not None
                else {}
            ),
            _("Tier"): str(dashboards.tier_label(row["tier"])),
            _("Platform"): str(dashboards.platform_label(row["platform"])),
            **{_column(name): row.get(name) for name in names},
            _("Authenticity"): row.get("authenticity"),
            _("Audience fit"): row.get("audience_fit"),
            _("Posts counted"): coverage_column(row),
        }
        for row in creators
    ]


def _column(name: str) -> str:
    return str(dashboards.FIGURES[name].label) if name in dashboards.FIGURES else _("Posts")


def _label_of(key: str, value: str) -> Any:
    return dashboards.tier_label(value) if key == "tier" else dashboards.platform_label(value)


def breakdown_rows(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    heading = _("Tier") if key == "tier" else _("Platform")
    return [
        {heading: str(_label_of(key, row[key]))}
        | {_column(name): row.get(name) for name in ["posts", *dashboards.BREAKDOWN]}
        | {_("Posts counted"): coverage_column(row)}
        for row in rows
    ]


# --- XLSX --------------------------------------------------------------------


def campaign_xlsx(data: ReportData) -> bytes:
    """Summary, creators, tiers, platforms, posts, time series and orders, one sheet each."""
    report = data.result.report
    sheets = {
        _("Summary"): pd.DataFrame(
            [
                (label, value, formula, coverage)
                for label, value, _text, formula, coverage in summary_rows(data)
            ]
            + final_rows(data.result),
            columns=[_("Figure"), _("Value"), _("Formula"), _("Posts counted")],
        ),
        _("Creators"): pd.DataFrame(creator_rows(report.get("creators", []), data.profile_urls)),
        _("Tiers"): pd.DataFrame(breakdown_rows(report.get("tiers", []), "tier")),
        _("Platforms"): pd.DataFrame(breakdown_rows(report.get("platforms", []), "platform")),
        _("Posts"): pd.DataFrame(
            [
                {
                    _("Creator"): post["collaboration__creator__display_name"],
                    _("Platform"): str(dashboards.platform_label(post["platform"])),
                    _("URL"): post["url"],
                    _("Status"): str(PostStatus(post["status"]).label),
                    _("Published"): _naive(post["published_at"]),
                    **{str(dashboards.COUNTER_COLUMNS[n]): post[n] for n in COUNTERS},
                }
                for post in data.posts
            ]
        ),
        _("Time series"): pd.DataFrame(
            [
                {
                    _("Date"): point["period"],
                    _("Views"): point["views"],
                    _("Engagements"): point["engagements"],
                    _("Note"): dashboards.partial_note([point]),
                }
                for point in data.result.series
            ]
        ),
        _("Orders"): pd.DataFrame(
            [
                {
                    _("Order"): order["order_id"],
                    _("Ordered"): _naive(order["occurred_at"]),
                    _("Creator"): order["collaboration__creator__display_name"],
                    _("Amount"): float(order["amount"]),
                    _("Refunded"): float(order["refunded"]),
                    _("Currency"): order["currency"],
                    _("Cancelled"): _("Yes") if order["cancelled"] else _("No"),
                    _("Attributed by"): str(AttributionRule(order["rule"]).label),
                    _("Promo code"): order["promo_code"],
                }
                for order in data.orders
            ]
        ),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe = frame.map(neutralise) if not frame.empty else frame
            safe = workbooks.whole_numbers(safe, _count_columns(safe))
            safe.to_excel(writer, index=False, sheet_name=str(name)[:31])
            workbooks.layout_sheet(
                writer.sheets[str(name)[:31]], safe, _xlsx_formats(safe, data.campaign.currency)
            )
        if data.result.series:
            # The chart the page and the PDF show, beside the figures it is drawn from.
            chart = XlsxImage(io.BytesIO(series_png(data)))
            chart.width, chart.height = XLSX_CHART_WIDTH, XLSX_CHART_WIDTH * 0.45
            writer.sheets[str(_("Time series"))[:31]].add_image(chart, "E2")
    return buffer.getvalue()


XLSX_FORMATS = {
    "count": workbooks.COUNT,
    "rate": workbooks.PERCENT,
    "ratio": workbooks.RATIO,
    "score": workbooks.SCORE,
}


def _column_kinds() -> dict[str, str]:
    """Each figure column's kind by its header, in the reader's language."""
    return {
        **{str(figure.label): figure.kind for figure in dashboards.FIGURES.values()},
        **{str(label): "count" for label in dashboards.COUNTER_COLUMNS.values()},
        _("Posts"): "count",
        _("Authenticity"): "score",
    }


def _count_columns(frame: pd.DataFrame) -> list[str]:
    kinds = _column_kinds()
    return [str(c) for c in frame.columns if kinds.get(str(c)) == "count"]


def _xlsx_formats(frame: pd.DataFrame, currency: str) -> workbooks.Formats:
    """Money in the campaign's currency (an order's in its own), rates as percentages, counts
    grouped; the Summary sheet's values each by their figure's kind."""
    kinds = _column_kinds()
    formats: dict[str, str | list[str]] = {}
    for column in map(str, frame.columns):
        kind = kinds.get(column)
        if kind == "money":
            formats[column] = [workbooks.money_format(currency, v) for v in frame[column]]
        elif kind in XLSX_FORMATS:
            formats[column] = XLSX_FORMATS[kind]
    if _("Figure") in frame.columns:  # the Summary sheet: one figure per row
        formats[_("Value")] = [
            workbooks.money_format(currency, value)
            if kinds.get(label) == "money"
            else XLSX_FORMATS.get(kinds.get(label, ""), workbooks.DECIMAL)
            for label, value in zip(frame[_("Figure")], frame[_("Value")], strict=True)
        ]
    if _("Currency") in frame.columns:  # the Orders sheet: each order in its own currency
        for column in (_("Amount"), _("Refunded")):
            formats[column] = [
                workbooks.money_format(code, value)
                for code, value in zip(frame[_("Currency")], frame[column], strict=True)
            ]
    return formats


def series_png(data: ReportData) -> bytes:
    """The views and engagements chart as the PDF and the workbook embed it."""
    series = data.result.series
    return charts.series_chart(
        series,
        dashboards.series_labels(),
        fmt="png",
        partial_note=dashboards.partial_note(series),
    )


def _naive(moment):
    """Excel has no time zones: the local time of the workspace, without its offset."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# --- PDF ---------------------------------------------------------------------


class ReportPdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="landscape", format="A4")
        charts.add_cjk_font(self, "NotoSansTC")
        self.set_font("NotoSansTC", size=9)
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=14)
        self.report_title = title

    def footer(self) -> None:
        self.set_y(-10)
        self.set_text_color(*MUTED)
        self.set_font_size(7)
        self.cell(0, 5, f"{self.report_title} · {self.page_no()}", align="R")
        self.set_text_color(*INK)


def campaign_pdf(data: ReportData) -> bytes:
    """A landscape A4 report: heading, KPIs, every figure with its formula, the chart, then the
    creators, tiers and platforms."""
    campaign, report = data.campaign, data.result.report
    pdf = ReportPdf(campaign.name)
    pdf.add_page()
    _heading(pdf, data)
    if data.cards:
        _section(pdf, _("KPIs: actual against target"))
        pdf_table(
            pdf,
            [
                Column(_("KPI"), TEXT),
                Column(_("Actual"), FIGURE),
                Column(_("Target"), FIGURE),
                Column(_("Status"), LABEL),
            ],
            [
                [
                    str(card["label"]),
                    dashboards.format_figure(card["actual"], card["kind"], campaign.currency),
                    dashboards.format_figure(card["target"], card["kind"], campaign.currency),
                    str(card["status_label"]),
                ]
                for card in data.cards
            ],
        )
    _section(pdf, _("Figures"))
    pdf_table(
        pdf,
        [
            Column(_("Figure"), TEXT),
            Column(_("Value"), LABEL),
            Column(_("Formula"), TEXT),
        ],
        [
            # The posts a value covers go under it, so the figure itself never wraps.
            [label, f"{text}\n({coverage})" if coverage else text, formula]
            for label, _value, text, formula, coverage in summary_rows(data)
        ],
    )
    if data.result.series:
        _section(pdf, _("Views and engagements over time"))
        pdf.image(io.BytesIO(series_png(data)), x=pdf.l_margin, w=pdf.epw * 0.8)
    by_cost = sorted(report.get("creators", []), key=lambda row: -(row.get("cost") or 0))
    for title, rows, text_columns in (
        (_("Creators"), creator_rows(by_cost), 4),
        (_("By tier"), breakdown_rows(report.get("tiers", []), "tier"), 1),
        (_("By platform"), breakdown_rows(report.get("platforms", []), "platform"), 1),
    ):
        if rows:
            _section(pdf, f"{title} ({campaign.currency})")
            _dict_table(pdf, rows, text_columns)
    _notes(pdf, report)
    return bytes(pdf.output())


def _heading(pdf: ReportPdf, data: ReportData) -> None:
    campaign = data.campaign
    pdf.set_font_size(18)
    pdf.multi_cell(0, 9, campaign.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(9)
    pdf.set_text_color(*MUTED)
    period = f"{_fmt_date(campaign.starts_on)} – {_fmt_date(campaign.ends_on)}"
    computed = timezone.localtime(data.result.computed_at).strftime("%Y-%m-%d %H:%M")
    pdf.multi_cell(
        0,
        5,
        f"{campaign.brand.name} · {campaign.get_objective_display()} · {period}\n"
        + _("Figures as of %(time)s. Money is in %(currency)s.")
        % {"time": computed, "currency": campaign.currency}
        + final_note(data.result),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*INK)


def final_rows(result: CampaignResult) -> list[tuple[str, Any, str, str]]:
    """The workbook's summary says when a closed campaign's report became final."""
    if result.final_at is None:
        return []
    return [(_("Final report: closed on"), _naive(result.final_at), "", "")]


def final_note(result: CampaignResult) -> str:
    """A closed campaign's report says it is final, and since when."""
    if result.final_at is None:
        return ""
    day = timezone.localtime(result.final_at).strftime("%Y-%m-%d")
    return "\n" + _("Final report: the campaign was closed on %(day)s.") % {"day": day}


def _fmt_date(day: date) -> str:
    return day.strftime("%Y-%m-%d")


def _section(pdf: ReportPdf, title: str) -> None:
    if pdf.get_y() > pdf.h - 45:  # a heading alone at the foot of a page: start the next
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font_size(12)
    pdf.cell(0, 8, str(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(8)


def _dict_table(pdf: ReportPdf, rows: list[dict[str, Any]], text_columns: int) -> None:
    """A wide table: the first `text_columns` columns name the row, the rest are figures
    (money without its currency, which the heading states), right-aligned."""
    # The headings are in the reader's language: the labels are read here, at each render (read
    # once at import, they stayed in the first language and left the others' money raw).
    kinds = {str(figure.label): figure.kind for figure in dashboards.FIGURES.values()}
    wrapping = {_("Name"), _("Posts counted")}
    columns = [
        Column(
            str(heading),
            TEXT if heading in wrapping else LABEL if i < text_columns else FIGURE,
        )
        for i, heading in enumerate(rows[0])
    ]
    pdf_table(
        pdf,
        columns,
        [
            [
                dashboards.format_figure(value, kinds[key])
                if key in kinds
                else ("" if value is None else str(value))
                for key, value in row.items()
            ]
            for row in rows
        ],
        size=7,
    )


def _notes(pdf: ReportPdf, report: dict[str, Any]) -> None:
    notes = [str(alert["text"]) for alert in dashboards.alerts(report, [])]
    meaning = _("cannot be computed: nothing to divide by, or a missing exchange rate")
    notes.append(f"{NOT_AVAILABLE}: {meaning}")
    pdf.ln(4)
    pdf.set_text_color(*MUTED)
    pdf.set_font_size(8)
    for note in notes:
        pdf.multi_cell(0, 4.5, note, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
