from __future__ import annotations

import gc
import io
import json
import tracemalloc
import weakref

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.signals import post_init
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creators import services
from creators.importer import parse_table
from creators.models import AccountSnapshot, Creator, RateCardItem, SocialAccount
from creators.services import imports
from kolhub.spreadsheets import ImportFileError, read_table

CHINESE_CSV = (
    "名稱,平台,帳號,粉絲數,分類,地區,Email,報價,備註\n"
    '小美日常,IG,@meimei.daily,"1.2萬",美妝、生活,台北市,mei@example.com,"NT$8,000",回覆快\n'
    "小美日常,YouTube,https://www.youtube.com/@MeiMeiDaily,3.5K,美妝,台北市,,,\n"
    "阿宏科技,,https://www.instagram.com/ahong.tech/,１２３４５,科技,新竹市,,12000,\n"
)


def run_import(workspace, text: str | bytes, filename="c.csv", **options):
    data = text.encode("utf-8-sig") if isinstance(text, str) else text
    parsed = parse_table(read_table(data, filename))
    return services.creators_import(workspace=workspace, parsed=parsed, **options)


def test_it_imports_a_taiwanese_spreadsheet(workspace):
    summary = run_import(workspace, CHINESE_CSV)
    assert (summary.created, summary.updated, summary.errors) == (2, 0, [])
    mei = Creator.objects.for_workspace(workspace).get(display_name="小美日常")
    accounts = {(a.platform, a.handle): a.followers for a in mei.accounts.all()}
    assert accounts == {("instagram", "meimei.daily"): 12_000, ("youtube", "meimeidaily"): 3_500}
    assert mei.email == "mei@example.com" and mei.region == "台北市"
    assert sorted(mei.categories.values_list("name", flat=True)) == ["生活", "美妝"]
    assert mei.total_followers == 15_500 and mei.top_tier == "micro"
    assert RateCardItem.objects.get(creator=mei).price == 8000
    ahong = Creator.objects.for_workspace(workspace).get(display_name="阿宏科技")
    assert ahong.accounts.get().followers == 12_345
    assert AccountSnapshot.objects.for_workspace(workspace).count() == 3


def test_it_changes_nothing_when_the_same_file_comes_again(workspace):
    run_import(workspace, CHINESE_CSV)
    before = list(SocialAccount.objects.order_by("pk").values())
    summary = run_import(workspace, CHINESE_CSV)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert list(SocialAccount.objects.order_by("pk").values()) == before
    assert Creator.objects.count() == 2 and AccountSnapshot.objects.count() == 3


def test_it_updates_counts_by_platform_and_handle(workspace):
    run_import(workspace, CHINESE_CSV)
    summary = run_import(workspace, "name,instagram,instagram followers\nMei,meimei.daily,13K\n")
    assert (summary.created, summary.updated) == (0, 1)
    account = SocialAccount.objects.get(handle="meimei.daily")
    assert account.followers == 13_000
    assert account.creator.display_name == "小美日常"  # matched by handle, not by name


def test_it_reads_several_platforms_side_by_side(workspace):
    csv = (
        "Name,IG,IG 粉絲數,YouTube,YouTube 訂閱數,TikTok\n"
        "Chef Lin,chef.lin,45.6K,https://youtube.com/@cheflin,1.2M,https://www.tiktok.com/@cheflin\n"
    )
    run_import(workspace, csv)
    chef = Creator.objects.get(display_name="Chef Lin")
    assert {(a.platform, a.followers) for a in chef.accounts.all()} == {
        ("instagram", 45_600),
        ("youtube", 1_200_000),
        ("tiktok", None),
    }
    assert chef.top_tier == "mega"


def test_it_reads_big5_files(workspace):
    summary = run_import(workspace, CHINESE_CSV.encode("cp950"))
    assert summary.created == 2


def test_it_reads_xlsx(workspace):
    frame = pd.read_csv(io.StringIO(CHINESE_CSV), dtype=str)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    assert run_import(workspace, buffer.getvalue(), "roster.xlsx").created == 2


def test_it_writes_nothing_when_a_row_is_invalid(workspace):
    bad = CHINESE_CSV + "壞資料,Myspace,foo,-3,,,not-an-email,,\n"
    summary = run_import(workspace, bad)
    assert Creator.objects.count() == 0
    assert summary.created == 0
    assert {(e["row"], e["column"]) for e in summary.errors} == {(5, "平台"), (5, "Email")}


def test_it_writes_the_valid_rows_when_asked_to_skip_the_others(workspace):
    bad = CHINESE_CSV + "壞資料,IG,ok.handle,-3,,,,,\n"
    summary = run_import(workspace, bad, skip_invalid=True)
    assert (summary.created, summary.skipped) == (2, 1)
    assert summary.errors == [
        {"row": 5, "column": "粉絲數", "message": "A count cannot be negative."}
    ]
    assert not SocialAccount.objects.filter(handle="ok.handle").exists()


def test_it_writes_nothing_on_a_dry_run(workspace):
    summary = run_import(workspace, CHINESE_CSV, dry_run=True)
    assert summary.created == 2 and summary.dry_run
    assert Creator.objects.count() == 0


def test_it_refuses_one_account_claimed_by_two_creators(workspace):
    csv = "name,instagram\nA,same.handle\nB,https://instagram.com/Same.Handle\n"
    summary = run_import(workspace, csv)
    assert summary.errors[0]["row"] == 3
    assert "already on row 2" in summary.errors[0]["message"]


def test_it_keeps_workspaces_apart(workspace, charlie_workspace):
    run_import(workspace, CHINESE_CSV)
    run_import(charlie_workspace, CHINESE_CSV)
    assert Creator.objects.for_workspace(workspace).count() == 2
    assert Creator.objects.for_workspace(charlie_workspace).count() == 2
    assert SocialAccount.objects.count() == 6


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"name,handle\n", "a.csv", "no data rows"),
        (b"\x00\x01\x02binary", "a.csv", "not a CSV or XLSX"),
        (b"PK\x03\x04garbage", "a.xlsx", "not a valid .xlsx"),
        (b"not a zip", "a.xlsx", "not a valid .xlsx"),
        ("名稱\n".encode("utf-16"), "a.csv", "not a CSV or XLSX"),
    ],
)
def test_it_explains_files_it_cannot_read(data, filename, message):
    with pytest.raises(ImportFileError, match=message):
        parse_table(read_table(data, filename))


def test_it_drops_control_characters_inside_cells(workspace):
    summary = run_import(
        workspace, "name,instagram,instagram followers\nNul\x1bl,nul.l\x07,12\x08K\n"
    )
    assert summary.errors == [] and summary.created == 1
    account = SocialAccount.objects.get()
    assert (account.creator.display_name, account.handle, account.followers) == (
        "Null",
        "nul.l",
        12_000,
    )


def test_it_reports_a_table_without_names_or_handles_as_a_file_error():
    parsed = parse_table(read_table(b"colour,size\nred,2\n", "a.csv"))
    assert parsed.rows == []
    assert parsed.errors[0].row == 0
    assert "No column holds a creator's name" in parsed.errors[0].message


def test_it_refuses_a_file_over_the_size_limit():
    big = b"name,handle\n" + b"x" * (51 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="the limit is 20 MB"):
        read_table(big, "big.csv")


messy_count = st.one_of(
    st.integers(min_value=-10, max_value=10**12).map(str),
    st.decimals(min_value=0, max_value=9999, places=1).map(lambda d: f"{d}萬"),
    st.decimals(min_value=0, max_value=999, places=1).map(lambda d: f"{d}K"),
    st.sampled_from(["", "n/a", "12,300", "１２３", "abc", "1.2.3", "-", "3千"]),
    st.text(max_size=8),
)
messy_handle = st.one_of(
    st.from_regex(r"[a-z][a-z0-9._]{0,15}", fullmatch=True),
    st.sampled_from(["https://instagram.com/p/abc/", "@@", "", "https://x.com/ok_name", "a b"]),
    st.text(max_size=12),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(max_size=10), messy_handle, messy_count), max_size=12))
def test_it_sorts_messy_rows_into_valid_rows_and_row_errors(rows):
    frame = pd.DataFrame(rows, columns=["名稱", "IG", "IG 粉絲數"], dtype=str)
    if frame.empty:
        return
    parsed = parse_table(frame)
    error_rows = {e.row for e in parsed.errors}
    assert all(row.row not in error_rows for row in parsed.rows)
    for row in parsed.rows:
        for account in row.accounts:
            assert account.followers is None or account.followers >= 0
            assert account.handle and " " not in account.handle


def test_the_command_prints_a_json_summary(workspace, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(CHINESE_CSV, encoding="utf-8-sig")
    call_command("import_creators", str(path), "--workspace", workspace.slug)
    summary = json.loads(capsys.readouterr().out)
    assert summary["created"] == 2 and summary["errors"] == []


def test_the_command_exits_non_zero_on_errors(workspace, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(CHINESE_CSV + "x,IG,ok,abc,,,,,\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_creators", str(path), "--workspace", workspace.slug)
    assert exit_info.value.code == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["errors"][0] == {
        "row": 5,
        "column": "粉絲數",
        "message": "“abc” is not a count (examples: 12,300, 1.2萬, 12.3K, 1.5M).",
    }
    assert Creator.objects.count() == 0


def test_the_command_names_an_unknown_workspace(db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(CHINESE_CSV)
    with pytest.raises(CommandError, match="No workspace with the URL name 'nope'"):
        call_command("import_creators", str(path), "--workspace", "nope")


def test_the_command_names_a_missing_file(workspace, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_creators", str(tmp_path / "nope.csv"), "--workspace", workspace.slug)


def roster_csv(rows: int, *, followers=lambda i: 1000 + i) -> str:
    lines = ["名稱,IG,IG 粉絲數,分類,報價"]
    lines += [f"創作者{i},creator.{i},{followers(i)},美妝、生活,{3000 + i}" for i in range(rows)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 20)
    return 20


def test_it_holds_one_batch_of_creators_and_accounts_at_a_time_however_long_the_file(
    workspace, small_batches
):
    """All the creators and accounts of a file were built before the first was written: a
    50,000-row import peaked over its 500 MB (bench/test_creators.py)."""
    alive: list[weakref.ref] = []  # model instances are unhashable before they are saved
    most = 0
    limit = 2 * small_batches  # a batch's creators and their accounts

    def track(instance, **kwargs):
        alive.append(weakref.ref(instance))

    def count_at_each_query(execute, *args):
        nonlocal most
        alive_now = sum(ref() is not None for ref in alive)
        if alive_now > limit:
            # A file field's value points back at its instance: the cycle waits for the
            # cyclic collector (which runs on its own every few hundred allocations) rather
            # than going at once. What matters is what is still reachable.
            gc.collect()
            alive_now = sum(ref() is not None for ref in alive)
        most = max(most, alive_now)
        return execute(*args)

    post_init.connect(track, sender=Creator, weak=False)
    post_init.connect(track, sender=SocialAccount, weak=False)
    try:
        with connection.execute_wrapper(count_at_each_query):
            summary = run_import(workspace, roster_csv(3 * small_batches))
    finally:
        post_init.disconnect(track, sender=Creator)
        post_init.disconnect(track, sender=SocialAccount)
    assert summary.created == 3 * small_batches
    assert most <= limit


def test_it_counts_and_links_a_file_longer_than_a_batch_as_one_import(workspace, small_batches):
    rows = 3 * small_batches + 5
    assert run_import(workspace, roster_csv(rows)).created == rows
    summary = run_import(workspace, roster_csv(rows, followers=lambda i: 1000 + i + (i % 10 == 0)))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 7, rows - 7)
    assert SocialAccount.objects.filter(workspace=workspace).count() == rows
    assert RateCardItem.objects.filter(creator__workspace=workspace).count() == rows
    assert Creator.categories.through.objects.filter(creator__workspace=workspace).count() == (
        2 * rows
    )
    creator = Creator.objects.get(workspace=workspace, display_name="創作者50")
    assert creator.total_followers == 1051
    assert "@creator.50" in creator.search_text


def test_it_checks_a_wide_table_a_row_at_a_time(workspace):
    """The table was turned into a dict a row before any was checked: for 50 columns, far
    more memory than the checked rows themselves."""
    extra = [f"x{n}" for n in range(49)]
    frame = pd.DataFrame(
        [[f"creator {i}", *(f"{i}-{n}" for n in range(49))] for i in range(2_000)],
        columns=["名稱", *extra],
        dtype=str,
    )
    tracemalloc.start()
    try:
        parsed = parse_table(frame)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parsed.rows) == 2_000 and parsed.unmapped_columns == extra
    assert peak - kept < kept  # a row's cells at a time, not the whole table's
