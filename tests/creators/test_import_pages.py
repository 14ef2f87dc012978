from __future__ import annotations

import contextlib
import gc
import io
import weakref
import zipfile

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from creators import services
from creators.models import Creator, CreatorImport
from creators.services import import_jobs as imports
from creators.tasks import apply_import, check_import
from kolhub import spreadsheets

GOOD = "名稱,IG,IG 粉絲數,地區\n小美日常,meimei.daily,1.2萬,台北市\n阿宏,ahong.tech,8K,新竹市\n"
WITH_BAD_ROW = GOOD + "壞,bad.row,很多,\n"


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """Run what a request hands to the worker (eager in tests) once its transaction commits."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def upload(client, workspace, text: str | bytes, name="roster.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        reverse("import_start", args=[workspace.slug]), {"file": SimpleUploadedFile(name, data)}
    )


def preview_url(workspace, creator_import) -> str:
    return reverse("import_preview", args=[workspace.slug, creator_import.pk])


def confirm_url(workspace, creator_import) -> str:
    return reverse("import_confirm", args=[workspace.slug, creator_import.pk])


def test_it_previews_before_writing_anything(alice_client, workspace, worker):
    response = worker(upload, alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.for_workspace(workspace).get()
    assert response.url == preview_url(workspace, creator_import)
    preview = alice_client.get(response.url)
    assert preview.status_code == 200
    assert preview.context["preview"]["summary"]["created"] == 2
    assert "meimei.daily" in preview.text
    assert Creator.objects.count() == 0


def test_it_shows_the_progress_until_the_worker_is_done(alice_client, workspace, worker):
    upload(alice_client, workspace, GOOD)  # the check is queued, not run
    creator_import = CreatorImport.objects.get()
    assert creator_import.status == "checking"
    page = alice_client.get(preview_url(workspace, creator_import))
    assert "Checking the file…" in page.text and 'hx-trigger="every 1s"' in page.text
    assert "Waiting for a worker to start" in page.text
    fragment = alice_client.get(
        preview_url(workspace, creator_import), headers={"HX-Request": "true"}
    )
    assert fragment.text.lstrip().startswith("<section") and "<html" not in fragment.text
    worker(alice_client.post, preview_url(workspace, creator_import))  # no check is lost
    CreatorImport.objects.filter(pk=creator_import.pk).update(status="checking")
    check_import(creator_import.pk, workspace.pk)
    done = alice_client.get(preview_url(workspace, creator_import), headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


def test_it_imports_on_confirmation_once(alice_client, workspace, worker):
    worker(upload, alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    response = worker(alice_client.post, confirm_url(workspace, creator_import))
    assert response.url == preview_url(workspace, creator_import)
    assert Creator.objects.for_workspace(workspace).count() == 2
    done = alice_client.get(response.url)
    assert "This file was imported" in done.text and "2 new" in done.text
    worker(alice_client.post, confirm_url(workspace, creator_import))  # a double submit
    assert Creator.objects.count() == 2
    creator_import.refresh_from_db()
    assert creator_import.status == "applied" and creator_import.summary["created"] == 2


def test_it_shows_the_writing_step_while_the_worker_imports(alice_client, workspace, worker):
    worker(upload, alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    alice_client.post(confirm_url(workspace, creator_import))  # queued, not run
    page = alice_client.get(preview_url(workspace, creator_import))
    assert "Importing…" in page.text and Creator.objects.count() == 0


def test_it_lists_row_errors_and_writes_nothing_unless_told_to_skip(
    alice_client, workspace, worker
):
    worker(upload, alice_client, workspace, WITH_BAD_ROW)
    creator_import = CreatorImport.objects.get()
    preview = alice_client.get(preview_url(workspace, creator_import))
    assert "“很多” is not a count" in preview.text
    refused = worker(alice_client.post, confirm_url(workspace, creator_import), follow=True)
    assert "Nothing was imported" in refused.text
    assert Creator.objects.count() == 0
    worker(alice_client.post, confirm_url(workspace, creator_import), {"skip_invalid": "1"})
    assert Creator.objects.count() == 2


def test_it_lets_the_user_correct_a_column(alice_client, workspace, worker):
    worker(upload, alice_client, workspace, "Who,Where,How many\nMei,mei.daily,1.2萬\n")
    creator_import = CreatorImport.objects.get()
    url = preview_url(workspace, creator_import)
    first = alice_client.get(url)
    assert first.context["preview"]["summary"]["created"] == 0  # nothing recognisable yet
    mapping = {"col_0": "display_name", "col_1": "instagram:handle", "col_2": "instagram:followers"}
    worker(alice_client.post, url, mapping)
    second = alice_client.get(url)
    assert second.context["preview"]["summary"]["created"] == 1
    worker(alice_client.post, confirm_url(workspace, creator_import))
    assert Creator.objects.get().accounts.get().followers == 12_000


def test_it_checks_again_in_the_language_of_the_page(alice_client, workspace, worker):
    worker(upload, alice_client, workspace, WITH_BAD_ROW)
    creator_import = CreatorImport.objects.get()
    alice_client.cookies["django_language"] = "zh-hant"
    worker(alice_client.get, preview_url(workspace, creator_import))
    creator_import.refresh_from_db()
    assert creator_import.language == "zh-hant" and creator_import.status == "preview"
    assert "很多" in creator_import.preview["errors"][0]["message"]


def test_it_refuses_a_file_that_is_not_a_spreadsheet(alice_client, workspace):
    response = upload(alice_client, workspace, b"\x89PNG\r\n\x1a\n\x00\x00binary", "photo.csv")
    assert response.status_code == 422
    assert "not a CSV or XLSX" in response.text
    assert not CreatorImport.objects.exists()


def test_it_refuses_an_empty_upload(alice_client, workspace):
    response = alice_client.post(reverse("import_start", args=[workspace.slug]), {})
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_it_refuses_get_on_confirm(alice_client, workspace):
    upload(alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    assert alice_client.get(confirm_url(workspace, creator_import)).status_code == 405


# Files built to make a reader work without end, each refused with its reason.


def workbook(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_that_unzips_too_large_is_refused_at_once(alice_client, workspace, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_WORKBOOK_XML_BYTES", 4 * 1024 * 1024)
    out = io.BytesIO(workbook([["名稱"], ["小美"]]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet2.xml", bytes(5 * 1024 * 1024))
    response = upload(alice_client, workspace, out.getvalue(), "bomb.xlsx")
    assert response.status_code == 422
    assert "The workbook unzips to 5 MB; the limit is 4 MB." in response.text
    assert not CreatorImport.objects.exists()


def test_a_workbook_of_too_many_rows_stops_being_read_past_the_limit(
    alice_client, workspace, worker, monkeypatch
):
    monkeypatch.setattr(spreadsheets, "MAX_IMPORT_ROWS", 500)
    read = []
    real_row_text = spreadsheets._row_text
    monkeypatch.setattr(
        spreadsheets, "_row_text", lambda v, most: read.append(1) or real_row_text(v, most)
    )
    data = workbook([["名稱"]] + [[f"creator {n}"] for n in range(5_000)])
    worker(upload, alice_client, workspace, data, "many.xlsx")
    creator_import = CreatorImport.objects.get()
    assert creator_import.status == "failed" and len(read) == 502  # the header, 500, one more
    page = alice_client.get(preview_url(workspace, creator_import))
    assert "This file cannot be imported" in page.text
    assert "The file has more than 500 rows. Split it into smaller files." in page.text


def test_a_csv_of_too_many_rows_is_refused_with_the_limit(
    alice_client, workspace, worker, monkeypatch
):
    monkeypatch.setattr(spreadsheets, "MAX_IMPORT_ROWS", 500)
    data = "名稱\n" + "\n".join(f"creator {n}" for n in range(5_000))
    worker(upload, alice_client, workspace, data)
    assert CreatorImport.objects.get().error == (
        "The file has more than 500 rows. Split it into smaller files."
    )


def test_a_cell_in_the_last_column_is_refused_without_reading_further(
    alice_client, workspace, worker
):
    """A sheet whose one cell sits at XFD1 would otherwise become 16,384 columns a row."""
    data = workbook([["名稱"] + [None] * 16_382 + ["far"], ["小美"]])
    worker(upload, alice_client, workspace, data, "wide.xlsx")
    assert CreatorImport.objects.get().error == "The sheet has more than 200 columns."


def test_a_csv_header_too_wide_is_refused_at_once(alice_client, workspace):
    response = upload(alice_client, workspace, ",".join(["x"] * 100_000) + "\n1\n")
    assert response.status_code == 422
    assert "The sheet has more than 200 columns." in response.text


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (SoftTimeLimitExceeded(), "took too long to process"),
        (RuntimeError("a bug"), "Something went wrong while processing the file"),
    ],
)
def test_a_check_that_ends_badly_says_so_instead_of_polling_for_ever(
    alice_client, workspace, monkeypatch, error, message
):
    upload(alice_client, workspace, GOOD)  # queued
    creator_import = CreatorImport.objects.get()

    def fail(**kwargs):
        raise error

    monkeypatch.setattr(services, "creator_import_check", fail)
    with contextlib.suppress(RuntimeError):  # a bug goes on to the worker's log
        check_import(creator_import.pk, workspace.pk)
    creator_import.refresh_from_db()
    assert creator_import.status == "failed" and message in creator_import.error


def test_an_import_that_times_out_goes_back_to_its_preview(
    alice_client, workspace, worker, monkeypatch
):
    worker(upload, alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    alice_client.post(confirm_url(workspace, creator_import))  # queued

    def slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "creator_import_apply", slow)
    apply_import(creator_import.pk, workspace.pk, False)
    page = alice_client.get(preview_url(workspace, creator_import))
    assert "took too long to process" in page.text and "Import: 2 new" in page.text
    assert Creator.objects.count() == 0


def test_it_shows_the_columns_it_did_not_map_and_the_rows_that_lost_their_account(
    alice_client, workspace, worker
):
    sheet = "名稱,平台,帳號/連結,IG平均按讚\n小美,IG,mei.eats,300\n阿宏,YouTube,,\n"
    response = worker(upload, alice_client, workspace, sheet)
    page = alice_client.get(response.url)
    preview = page.context["preview"]
    assert preview["unmapped_columns"] == ["IG平均按讚"]
    assert [(e["row"], e["column"]) for e in preview["errors"]] == [(3, "平台")]
    assert 'data-testid="unmapped-columns"' in page.text
    assert "These columns are not imported" in page.text


def test_it_says_what_a_unit_in_a_header_does(alice_client, workspace, worker):
    response = worker(upload, alice_client, workspace, "名稱,IG,粉絲數(萬)\n小美,mei,3.5\n")
    page = alice_client.get(response.url)
    assert "A number without its own unit counts × 10,000" in page.text


def test_it_previews_the_rows_below_a_header_found_under_a_title(alice_client, workspace, worker):
    sheet = "2025 KOL 名單,,\n名稱,IG,粉絲數\n小美,mei,3萬\n"
    response = worker(upload, alice_client, workspace, sheet)
    preview = alice_client.get(response.url).context["preview"]
    assert [name for name, _role in preview["columns"]] == ["名稱", "IG", "粉絲數"]
    assert (preview["first_row"], preview["rows"]) == (3, [["小美", "mei", "3萬"]])
    assert preview["summary"]["created"] == 1


def test_the_table_read_is_dropped_before_its_rows_are_written(
    alice_client, workspace, worker, monkeypatch
):
    """The whole table was kept beside its parsed rows while the check's dry run and the
    confirmed import wrote them: as much memory again for a file of 50,000 rows."""
    tables: list[weakref.ref] = []
    held: list[bool] = []
    read_table, creators_import = imports.read_table, imports.creators_import

    def reading(*args, **kwargs):
        table = read_table(*args, **kwargs)
        tables.append(weakref.ref(table))
        return table

    def writing(**kwargs):
        gc.collect()  # a DataFrame may be in a reference cycle: only garbage if collected
        held.append(any(table() is not None for table in tables))
        return creators_import(**kwargs)

    monkeypatch.setattr(imports, "read_table", reading)
    monkeypatch.setattr(imports, "creators_import", writing)
    worker(upload, alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    worker(alice_client.post, confirm_url(workspace, creator_import))
    assert Creator.objects.for_workspace(workspace).count() == 2
    assert held == [False, False]  # the check, then the import
