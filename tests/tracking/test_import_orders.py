"""python manage.py import_orders: Shopify's export (a row per line item) and plain sheets."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.factories import CollaborationFactory
from tracking.models import AttributionRule, Conversion
from tracking.sales.conversions import promo_code_add

SHOPIFY_EXPORT = (
    "Name,Email,Financial Status,Paid at,Currency,Subtotal,Total,Discount Code,Created at,"
    "Lineitem quantity,Lineitem name\n"
    "#1001,a@example.com,paid,2026-11-20 10:00:00 +0800,TWD,1380,1280,MEI15,"
    "2026-11-20 10:00:00 +0800,1,冷泡茶禮盒\n"
    "#1001,,,,,,,,,2,隨行杯\n"
    "#1002,b@example.com,refunded,2026-11-21 11:00:00 +0800,TWD,600,600,,"
    "2026-11-21 11:00:00 +0800,1,冷泡茶單瓶\n"
)


def run(tmp_path, capsys, text: str, *flags: str, name: str = "orders.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = 0
    try:
        call_command("import_orders", str(path), "--workspace", "alice-agency", *flags)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


def test_a_shopify_export_becomes_one_conversion_per_order(workspace, tmp_path, capsys):
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    promo_code_add(collaboration=collaboration, code="mei15")
    code, summary = run(tmp_path, capsys, SHOPIFY_EXPORT)
    assert code == 0, summary
    assert (summary["created"], summary["updated"]) == (2, 0)
    first = Conversion.objects.get(order_id="#1001")
    assert (first.amount, first.rule, first.collaboration) == (
        Decimal("1280.00"),
        AttributionRule.PROMO_CODE,
        collaboration,
    )
    assert Conversion.objects.get(order_id="#1002").net_amount == 0  # refunded
    code, summary = run(tmp_path, capsys, SHOPIFY_EXPORT)  # the same export again
    assert (summary["created"], summary["updated"]) == (0, 2)
    assert Conversion.objects.count() == 2


def test_chinese_headers_and_utm_columns(workspace, tmp_path, capsys):
    code, summary = run(
        tmp_path,
        capsys,
        "訂單編號,日期,幣別,總金額,折扣碼,utm_source,utm_content\n"
        'T-1,2026-11-22 20:15,twd,"1,050",,instagram,mei.daily\n',
    )
    assert code == 0, summary
    conversion = Conversion.objects.get()
    assert (conversion.amount, conversion.currency, conversion.utm_content) == (
        Decimal("1050.00"),
        "TWD",
        "mei.daily",
    )


def test_one_bad_order_means_nothing_is_written(workspace, tmp_path, capsys):
    code, summary = run(
        tmp_path,
        capsys,
        "order id,date,currency,total\nA,2026-11-22,TWD,100\nB,2026-11-22,NT$,100\n"
        "C,yesterday,TWD,100\nD,2026-11-22,TWD,a lot\n",
    )
    assert code == 1
    assert not Conversion.objects.exists()
    by_row = {e["row"]: (e["column"], e["message"]) for e in summary["errors"]}
    assert by_row[3] == ("currency", "currency is not an ISO 4217 code: 'NT$'")
    assert by_row[4][0] == "date" and "not a date" in by_row[4][1]
    assert by_row[5][0] == "total"


def test_skip_invalid_and_dry_run(workspace, tmp_path, capsys):
    text = "order id,date,currency,total\nA,2026-11-22,TWD,100\nB,2026-11-22,??,100\n"
    code, summary = run(tmp_path, capsys, text, "--dry-run", "--skip-invalid")
    assert (code, summary["created"], summary["dry_run"]) == (1, 1, True)
    assert not Conversion.objects.exists()
    run(tmp_path, capsys, text, "--skip-invalid")
    assert list(Conversion.objects.values_list("order_id", flat=True)) == ["A"]


def test_a_file_without_the_needed_columns_says_which(workspace, tmp_path, capsys):
    code, summary = run(tmp_path, capsys, "order id,total\nA,1\n")
    assert code == 1
    assert "missing: created_at, currency" in summary["errors"][0]["message"]


@pytest.mark.parametrize("text", ["", "order id,date,currency,total\n"])
def test_an_empty_file_is_reported(workspace, tmp_path, capsys, text):
    code, summary = run(tmp_path, capsys, text)
    assert code == 1 and summary["errors"][0]["row"] == 0
