"""Creator imports as jobs: upload, the worker's check, start, poll to the command's summary."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from creators.models import Creator, CreatorImport
from tests.api.conftest import url

GOOD = "名稱,IG,IG 粉絲數,地區\n小美日常,meimei.daily,1.2萬,台北市\n阿宏,ahong.tech,8K,新竹市\n"
WITH_BAD_ROW = GOOD + "壞,bad.row,很多,\n"


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """Run what a request hands to the worker (eager in tests) once its transaction commits."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def upload(api, workspace, text: str | bytes, name: str = "roster.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return api.post(url(workspace, "imports"), {"file": SimpleUploadedFile(name, data)})


def test_it_imports_through_a_job_with_the_commands_summary(
    api, workspace, worker, charlie_workspace, tmp_path: Path
):
    created = worker(upload, api, workspace, GOOD)
    assert created.status_code == 202, created.content
    job = api.get(url(workspace, f"imports/{created.json()['id']}")).json()
    assert job["status"] == "preview"
    assert job["checked"]["summary"]["created"] == 2 and not Creator.objects.exists()
    started = worker(api.post, url(workspace, f"imports/{job['id']}/start"), {}, "application/json")
    assert started.status_code == 202
    done = api.get(url(workspace, f"imports/{job['id']}")).json()
    assert done["status"] == "applied"
    assert Creator.objects.for_workspace(workspace).count() == 2
    # The same file through the command, into another workspace: the same summary.
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_creators", str(path), workspace=charlie_workspace.slug, stdout=out)
    assert done["summary"] == json.loads(out.getvalue())


def test_it_refuses_to_start_a_job_twice(api, workspace, worker):
    job = worker(upload, api, workspace, GOOD).json()
    start = url(workspace, f"imports/{job['id']}/start")
    assert worker(api.post, start, {}, "application/json").status_code == 202
    again = api.post(start, {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["type"] == "urn:kolhub:problem:import-not-ready"


def test_it_writes_nothing_with_a_bad_row_unless_told_to_skip(api, workspace, worker):
    job = worker(upload, api, workspace, WITH_BAD_ROW).json()
    checked = api.get(url(workspace, f"imports/{job['id']}")).json()["checked"]
    assert checked["error_count"] == 1
    start = url(workspace, f"imports/{job['id']}/start")
    worker(api.post, start, {"skip_invalid": False}, "application/json")
    assert not Creator.objects.exists()
    worker(api.post, start, {"skip_invalid": True}, "application/json")
    assert Creator.objects.count() == 2


def test_it_refuses_a_file_that_is_not_a_spreadsheet(api, workspace):
    response = upload(api, workspace, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="photo.csv")
    assert response.status_code == 400
    assert "not a CSV or XLSX" in response.json()["errors"]["file"][0]
    assert not CreatorImport.objects.exists()


def test_it_refuses_an_upload_without_a_file(api, workspace):
    response = api.post(url(workspace, "imports"), {})
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_it_needs_the_imports_scope(token_for, workspace):
    client = token_for(workspace, scopes=["creators:write"])
    assert upload(client, workspace, GOOD).status_code == 403
