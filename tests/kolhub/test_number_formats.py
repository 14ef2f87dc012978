"""Figures read the same in both languages: grouped by thousands, compact with 萬 or K/M."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kolhub.formatting import NOT_AVAILABLE, compact_count, grouped, money, percent
from tests.page_sweep import ungrouped_numbers


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_it_groups_amounts_by_thousands_in_both_languages(language):
    with translation.override(language):
        assert grouped(218700) == "218,700"
        assert grouped(Decimal("1234567.5"), 2) == "1,234,567.50"
        assert money(Decimal("600000"), "TWD") == "TWD 600,000"
        assert grouped(-1234) == "-1,234"


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_djangos_own_grouping_follows_the_same_format(language):
    # floatformat:"g" and intcomma read the locale's formats; zh_Hant's own leave them empty.
    page = Template('{% load humanize %}{{ n|floatformat:"0g" }} {{ n|intcomma }}')
    with translation.override(language):
        assert page.render(Context({"n": 218700})) == "218,700 218,700"


def test_it_rounds_half_up_and_shows_decimals_only_when_asked():
    assert grouped(Decimal("2.5")) == "3"
    assert grouped(Decimal("-0.4")) == "0"
    assert grouped(Decimal("12.5"), -2) == "12.50"
    assert grouped(Decimal("12.001"), -2) == "12"
    assert grouped(None) == "—"
    assert grouped("abc") == "abc"


def test_compact_figures_use_wan_in_chinese_and_k_m_in_english():
    with translation.override("zh-hant"):
        assert compact_count(218700) == "21.9萬"
        assert compact_count(9876) == "9,876"
        assert compact_count(350_000_000) == "3.5億"
    with translation.override("en"):
        assert compact_count(218700) == "218.7K"
        assert compact_count(1_591_845) == "1.6M"
        assert compact_count(987) == "987"


def test_a_percentage_is_grouped_and_rounded():
    assert percent(Decimal("0.0345")) == "3.5%"
    assert percent(12.5, 0) == "1,250%"
    assert percent(None) == "—"


def test_the_sweep_finds_ungrouped_figures_and_leaves_ids_dates_and_urls_alone():
    page = (
        '<p>TWD 218700</p><a href="/w/x/creators/123456/">mei123456</a>'
        "<span>2026-01-05 12:30</span><span>2026年1月5日</span><span>218,700</span>"
        "<span>order A123456</span><span>https://example.com/p/1234567</span><span>2026</span>"
    )
    found = ungrouped_numbers(page)
    assert len(found) == 1 and found[0].startswith("TWD [218700]")


def test_a_figure_that_cannot_be_computed_says_so_in_chinese():
    # One string for every page and file (kolhub.formatting.NOT_AVAILABLE), not "N/A".
    figure = Template("{% load figures %}{% figure None 'money' %}")
    with translation.override("zh-hant"):
        text = str(NOT_AVAILABLE)
        assert figure.render(Context({})) == f'<span class="na">{text}</span>'
    assert text and not re.search(r"[A-Za-z]", text)


def test_money_shows_cents_only_for_small_amounts_and_not_for_nothing():
    from tracking.results.dashboards import format_figure

    with translation.override("zh-hant"):
        assert format_figure(Decimal("218700"), "money", "TWD") == "TWD 218,700"
        assert format_figure(Decimal("12.5"), "money", "TWD") == "TWD 12.50"
        assert format_figure(0, "money", "TWD") == "TWD 0"
        assert format_figure(0.0345, "rate") == "3.5%"
        assert format_figure(1234567, "count") == "123.5萬"
