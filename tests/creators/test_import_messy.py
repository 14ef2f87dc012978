"""Messy spreadsheets never lose data silently: what the importer cannot place is a row error
or an unmapped column, never a quiet drop."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from creators import services
from creators.importer import parse_table
from creators.models import Category, Creator, SocialAccount
from kolhub.spreadsheets import ImportFileError, read_table


def run_import(workspace, text: str, **options):
    parsed = parse_table(read_table(text.encode("utf-8-sig"), "c.csv"))
    return services.creators_import(workspace=workspace, parsed=parsed, **options)


def accounts_of(workspace) -> set[tuple[str, str, str, int | None]]:
    return {
        (a.creator.display_name, a.platform, a.handle, a.followers)
        for a in SocialAccount.objects.for_workspace(workspace).select_related("creator")
    }


def test_it_keeps_the_accounts_of_a_sheet_whose_handle_column_is_headed_account_or_link(
    workspace,
):
    summary = run_import(
        workspace,
        "名稱,平台,帳號/連結,粉絲數(萬)\n"
        "小美食記,Instagram,mei.eats.taichung,3.5\n"
        "阿宏開箱,YouTube,https://www.youtube.com/@ahong.unbox,12\n",
    )
    assert (summary.created, summary.errors) == (2, [])
    assert accounts_of(workspace) == {
        ("小美食記", "instagram", "mei.eats.taichung", 35_000),
        ("阿宏開箱", "youtube", "ahong.unbox", 120_000),
    }


def test_it_reads_bare_handles_under_a_link_header_as_the_platform_columns_handles(workspace):
    summary = run_import(
        workspace,
        "名稱,平台,連結,追蹤人數\n"
        "小美食記,Instagram,mei.eats.taichung,35000\n"
        "貓咪旅行,Instagram,@cat.trips.tw,8200\n",
    )
    assert summary.errors == []
    assert accounts_of(workspace) == {
        ("小美食記", "instagram", "mei.eats.taichung", 35_000),
        ("貓咪旅行", "instagram", "cat.trips.tw", 8_200),
    }
    assert not SocialAccount.objects.filter(platform="blog").exists()


@pytest.mark.parametrize(
    ("platform", "value", "expected"),
    [
        ("Instagram", "mei.eats.taichung", ("instagram", "mei.eats.taichung")),
        ("IG", "@cat.trips.tw", ("instagram", "cat.trips.tw")),
        ("IG", "https://www.instagram.com/cat.trips.tw/", ("instagram", "cat.trips.tw")),
        ("YouTube", "@cat.trips", ("youtube", "cat.trips")),
        ("部落格", "cat.trips.tw", ("blog", "cat.trips.tw")),
        ("", "https://cat.trips.tw/about", ("blog", "cat.trips.tw/about")),
        ("", "instagram.com/cat.trips.tw", ("instagram", "cat.trips.tw")),
    ],
)
def test_the_platform_column_wins_and_only_a_real_url_is_parsed(platform, value, expected):
    parsed = parse_table(read_table(f"名稱,平台,連結\n貓,{platform},{value}\n".encode(), "a.csv"))
    assert parsed.errors == []
    account = parsed.rows[0].accounts[0]
    assert (account.platform, account.handle) == expected


def test_it_refuses_a_link_to_another_platform_than_the_platform_column_says():
    parsed = parse_table(
        read_table("名稱,平台,連結\n貓,YouTube,https://instagram.com/cat/\n".encode(), "a.csv")
    )
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "連結")]
    assert "Instagram" in parsed.errors[0].message and "YouTube" in parsed.errors[0].message


def test_it_asks_for_the_platform_of_a_bare_handle_without_one():
    parsed = parse_table(read_table("名稱,帳號\n貓,mei.eats.taichung\n".encode(), "a.csv"))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "帳號")]


@pytest.mark.parametrize(
    ("csv", "column"),
    [
        ("名稱,平台,帳號,粉絲數\n小美,Instagram,,3萬\n", "平台"),
        ("名稱,平台,帳號,粉絲數\n小美,,,3萬\n", "粉絲數"),
        ("名稱,平台,帳號\n小美,IG,\n", "平台"),
        ("名稱,IG,IG粉絲數\n小美,,3萬\n", "IG粉絲數"),
    ],
)
def test_a_row_with_a_platform_or_a_count_but_no_handle_is_a_row_error(csv, column):
    parsed = parse_table(read_table(csv.encode(), "a.csv"))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, column)]
    assert "Row 2" in parsed.errors[0].message
    assert parsed.rows == []


def test_a_platform_count_column_fills_the_account_the_row_names_on_that_platform():
    parsed = parse_table(
        read_table("名稱,平台,帳號,IG粉絲數\n小美,IG,mei.eats,3.5萬\n".encode(), "a.csv")
    )
    assert parsed.errors == []
    account = parsed.rows[0].accounts[0]
    assert (account.platform, account.handle, account.followers) == (
        "instagram",
        "mei.eats",
        35_000,
    )


def test_a_count_with_its_own_unit_is_not_multiplied_by_the_headers():
    parsed = parse_table(
        read_table("名稱,IG,粉絲數(萬)\n小美,mei.eats,3.5萬\n阿宏,ahong,1.2\n".encode(), "a.csv")
    )
    assert [row.accounts[0].followers for row in parsed.rows] == [35_000, 12_000]


def test_a_price_in_ten_thousands_is_read_as_such(workspace):
    parsed = parse_table(read_table("名稱,IG,報價(萬)\n小美,mei.eats,1.5\n".encode(), "a.csv"))
    assert parsed.rows[0].price == 15_000


def test_it_keeps_a_second_name_column_as_the_real_name():
    parsed = parse_table(
        read_table("姓名,網紅名稱,IG\n王小美,小美食記,mei.eats\n".encode(), "a.csv")
    )
    row = parsed.rows[0]
    assert (row.display_name, row.fields["real_name"]) == ("小美食記", "王小美")


def test_a_second_column_of_the_same_kind_is_reported_not_overwritten():
    parsed = parse_table(read_table("名稱,IG,備註,備註說明\n小美,mei,a,b\n".encode(), "a.csv"))
    assert parsed.rows[0].fields["notes"] == "a"
    assert parsed.unmapped_columns == ["備註說明"]


def test_it_lists_the_columns_it_did_not_map(workspace):
    summary = run_import(
        workspace, "序號,名稱,IG,IG平均按讚,合作檔期,Unnamed: 5\n1,小美,mei,300,3月,\n"
    )
    assert summary.unmapped_columns == ["序號", "IG平均按讚", "合作檔期"]


def test_the_command_prints_the_unmapped_columns(workspace, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text("名稱,IG,IG平均按讚\n小美,mei,300\n", encoding="utf-8-sig")
    call_command("import_creators", str(path), "--workspace", workspace.slug)
    summary = json.loads(capsys.readouterr().out)
    assert summary["unmapped_columns"] == ["IG平均按讚"] and summary["created"] == 1


def test_the_command_names_the_row_of_an_account_without_a_handle(workspace, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text("名稱,平台,帳號\n小美,IG,mei\n阿宏,YouTube,\n", encoding="utf-8-sig")
    with pytest.raises(SystemExit):
        call_command("import_creators", str(path), "--workspace", workspace.slug)
    summary = json.loads(capsys.readouterr().out)
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(3, "平台")]
    assert Creator.objects.count() == 0


@pytest.mark.parametrize(
    "written", ["美妝", "美妝 Beauty", "Beauty", "beauty", "ＢＥＡＵＴＹ", "美妆", "美妝/Beauty"]
)
def test_it_matches_categories_to_the_workspaces_own(workspace, written):
    Category.objects.create(workspace=workspace, name="美妝 Beauty")
    run_import(workspace, f"名稱,IG,類別\n小美,mei,{written}\n")
    assert list(Category.objects.for_workspace(workspace).values_list("name", flat=True)) == [
        "美妝 Beauty"
    ]
    assert list(Creator.objects.get().categories.values_list("name", flat=True)) == ["美妝 Beauty"]


def test_it_creates_one_category_for_spellings_of_the_same_new_one(workspace):
    run_import(workspace, "名稱,IG,類別\n小美,mei,美食\n阿宏,ahong,美食 Food\n小林,lin,food\n")
    assert list(Category.objects.for_workspace(workspace).values_list("name", flat=True)) == [
        "美食 Food"
    ]
    assert Creator.objects.filter(categories__name="美食 Food").count() == 3


def test_it_still_tells_different_categories_apart(workspace):
    Category.objects.create(workspace=workspace, name="美妝 Beauty")
    run_import(workspace, "名稱,IG,類別\n小美,mei,美妝保養\n")
    assert set(Category.objects.for_workspace(workspace).values_list("name", flat=True)) == {
        "美妝 Beauty",
        "美妝保養",
    }


def test_it_finds_the_header_row_below_a_title(workspace):
    sheet = (
        "2025 Q3 美妝KOL口袋名單,,,\n"
        ",,,\n"
        "KOL名稱,平台,帳號/連結,粉絲數(萬)\n"
        "小美食記,IG,mei.eats.taichung,3.5\n"
        "阿宏開箱,YT,https://www.youtube.com/@ahong.unbox,x\n"
    )
    parsed = parse_table(read_table(sheet.encode(), "a.csv"))
    assert [r.display_name for r in parsed.rows] == ["小美食記"]
    assert parsed.rows[0].accounts[0].followers == 35_000
    # Rows are numbered as the file numbers them.
    assert [(e.row, e.column) for e in parsed.errors] == [(5, "粉絲數(萬)")]
    assert (parsed.first_row, parsed.unmapped_columns) == (4, [])


def test_it_finds_the_header_below_a_title_typed_without_the_commas_excel_adds():
    sheet = (
        "KOL 名單（2026 Q1）\n"
        "\n"
        "網紅名稱,平台,IG帳號（連結）,追蹤數(萬)\n"
        "小美愛吃,IG,mei.eats.taichung,3.5\n"
        "\n"
        "旅行貓,Instagram,@cat.trips.tw,x,多出來的格子\n"
    )
    parsed = parse_table(read_table(sheet.encode(), "a.csv"))
    assert [r.display_name for r in parsed.rows] == ["小美愛吃"]
    assert parsed.rows[0].accounts[0].followers == 35_000
    # Rows keep the file's numbers across a blank line; the cell past the header's last
    # column is reported, not dropped.
    assert [(e.row, e.column) for e in parsed.errors] == [(6, "追蹤數(萬)")]
    assert parsed.unmapped_columns == ["Unnamed: 4"]


def test_it_names_the_line_of_a_quote_left_open():
    sheet = '名稱,IG\n小美,mei\n"旅行貓,cat\n阿宏,hong\n'
    with pytest.raises(ImportFileError, match="line 3"):
        read_table(sheet.encode(), "a.csv")


def test_a_stray_quote_inside_a_cell_is_text():
    parsed = parse_table(read_table('名稱,IG\n小"美",mei\n'.encode(), "a.csv"))
    assert [r.display_name for r in parsed.rows] == ['小"美"']


def test_a_heading_or_a_note_between_the_rows_is_not_a_creator():
    sheet = "名稱,IG,粉絲數\n【美妝】,,\n小美,mei,3萬\n※以上報價皆未稅,,\n"
    parsed = parse_table(read_table(sheet.encode(), "a.csv"))
    assert [r.display_name for r in parsed.rows] == ["小美"]
    assert [e.row for e in parsed.errors] == [2, 4]
    assert "heading or a note" in parsed.errors[0].message


@pytest.mark.parametrize("none", ["-", "—", "N/A", "n/a", "無", "/", "--"])
def test_a_dash_or_none_in_a_cell_is_an_empty_cell(none):
    parsed = parse_table(
        read_table(f"名稱,IG,IG粉絲數,YT頻道\n小美,mei,3萬,{none}\n".encode(), "a.csv")
    )
    assert parsed.errors == []
    assert [(a.platform, a.handle) for a in parsed.rows[0].accounts] == [("instagram", "mei")]


def test_a_total_followers_column_is_reported_not_read_as_one_accounts_count():
    parsed = parse_table(
        read_table(
            "名稱,IG,IG粉絲數,YT頻道,YT訂閱數,總粉絲數\n小美,mei,3萬,@mei,1萬,4萬\n".encode(),
            "a.csv",
        )
    )
    assert parsed.errors == [] and parsed.unmapped_columns == ["總粉絲數"]
    assert [a.followers for a in parsed.rows[0].accounts] == [30_000, 10_000]


def test_the_platform_column_wins_over_the_platform_a_handle_header_names():
    sheet = "名稱,平台,IG帳號(連結),粉絲數(萬)\n阿凱,YouTube,https://www.youtube.com/@akai,45\n"
    parsed = parse_table(read_table(sheet.encode(), "a.csv"))
    assert parsed.errors == []
    account = parsed.rows[0].accounts[0]
    assert (account.platform, account.handle, account.followers) == ("youtube", "akai", 450_000)


def test_a_plain_count_beside_platform_columns_goes_to_the_account_without_one(workspace):
    summary = run_import(
        workspace,
        "網紅名稱,IG帳號（連結）,YT頻道,YT訂閱,追蹤人數\n"
        "小美,https://www.instagram.com/mei.eats/,https://www.youtube.com/@meimei,12000,35000\n",
    )
    assert (summary.created, summary.errors) == (1, [])
    assert accounts_of(workspace) == {
        ("小美", "instagram", "mei.eats", 35_000),
        ("小美", "youtube", "meimei", 12_000),
    }


def test_a_plain_count_that_could_be_either_accounts_is_named_as_such():
    parsed = parse_table(
        read_table(
            "網紅名稱,IG帳號,YT頻道,追蹤人數\n小美,mei.eats,https://www.youtube.com/@meimei,35000\n".encode(),
            "a.csv",
        )
    )
    assert parsed.rows == []
    (error,) = parsed.errors
    assert error.column == "追蹤人數"
    assert "could be the count of any of its accounts (Instagram, YouTube)" in error.message
