"""import_metrics and pull_metrics, run as an admin would run them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import respx
import time_machine
from django.core.management import CommandError, call_command

from tests.factories import CollaborationFactory, PostFactory
from tests.tracking.conftest import LOOPBACK, recorded
from tracking.ingest.pulls import RECHECK_AFTER
from tracking.models import MetricSnapshot, Post, SnapshotSource

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
URL = "https://www.instagram.com/reel/C9xYz12AbCd/"


@pytest.fixture(autouse=True)
def _clock(db):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def post(workspace):
    return PostFactory(
        collaboration=CollaborationFactory(campaign__workspace=workspace),
        platform="instagram",
        platform_id="C9xYz12AbCd",
        url=URL,
    )


def run_import(tmp_path, capsys, text: str, *flags: str):
    path = tmp_path / "metrics.csv"
    path.write_text(text, encoding="utf-8")
    code = 0
    try:
        call_command("import_metrics", str(path), "--workspace", "alice-agency", *flags)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


def test_it_imports_counters_under_chinese_headers(post, tmp_path, capsys):
    code, summary = run_import(
        tmp_path,
        capsys,
        "貼文連結,日期,觀看數,按讚數,留言\n"
        'https://instagram.com/reel/C9xYz12AbCd?igsh=abc,2026-11-21 10:00,"12,300",1.2萬,45\n'
        "https://www.instagram.com/reel/C9xYz12AbCd/,2026-11-22,15000,13000,60\n",
    )
    assert code == 0, summary
    assert summary == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": [],
        "dry_run": False,
    }
    snapshots = list(MetricSnapshot.objects.order_by("captured_at"))
    assert [s.views for s in snapshots] == [12300, 15000]
    assert snapshots[0].likes == 12000 and snapshots[0].source == SnapshotSource.CSV
    # A time without a zone is the workspace's (Asia/Taipei): 10:00 there is 02:00 UTC.
    assert snapshots[0].captured_at == datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    post.refresh_from_db()
    assert (post.views, post.likes, post.comments) == (15000, 13000, 60)


def test_one_bad_row_means_nothing_is_written(post, tmp_path, capsys):
    code, summary = run_import(
        tmp_path,
        capsys,
        "post url,captured at,views\n"
        f"{URL},2026-11-21 10:00,100\n"
        f"{URL},yesterday,200\n"
        "https://www.tiktok.com/@someone/video/7341234567890123456,2026-11-21,5\n"
        f"{URL},2026-11-21 10:30,-3\n"
        f"{URL},2027-01-01,3\n",
    )
    assert code == 1
    assert not MetricSnapshot.objects.exists()
    by_row = {(e["row"], e["column"]): e["message"] for e in summary["errors"]}
    assert "not a date" in by_row[(3, "captured at")]
    assert "No followed post" in by_row[(4, "post url")]
    assert "negative" in by_row[(5, "views")]
    assert "future" in by_row[(6, "captured at")]
    assert summary["skipped"] == 4


def test_skip_invalid_writes_the_good_rows(post, tmp_path, capsys):
    code, summary = run_import(
        tmp_path,
        capsys,
        f"url,date,likes\n{URL},2026-11-20,10\nnot a url,2026-11-20,5\n",
        "--skip-invalid",
    )
    assert code == 1 and summary["created"] == 1 and summary["skipped"] == 1
    assert MetricSnapshot.objects.get().likes == 10


def test_the_same_post_and_hour_twice_is_refused(post, tmp_path, capsys):
    code, summary = run_import(
        tmp_path, capsys, f"url,date,likes\n{URL},2026-11-20 10:05,10\n{URL},2026-11-20 10:50,12\n"
    )
    assert code == 1
    assert "Row 2 already gives" in summary["errors"][0]["message"]


def test_a_dry_run_counts_and_writes_nothing(post, tmp_path, capsys):
    MetricSnapshot.objects.create(
        workspace=post.workspace,
        post=post,
        captured_at=datetime(2026, 11, 20, 4, 0, tzinfo=UTC),
        bucket=datetime(2026, 11, 20, 4, 0, tzinfo=UTC),
        source="api",
        views=5,
    )
    code, summary = run_import(
        tmp_path,
        capsys,
        f"url,date,views\n{URL},2026-11-20 12:00,9\n{URL},2026-11-21,10\n",
        "--dry-run",
    )
    assert code == 0
    assert (summary["created"], summary["updated"], summary["dry_run"]) == (1, 1, True)
    assert MetricSnapshot.objects.get().views == 5


def test_a_file_without_the_needed_columns_says_so(post, tmp_path, capsys):
    code, summary = run_import(tmp_path, capsys, "url,views\nx,1\n")
    assert code == 1
    assert summary["errors"][0]["row"] == 0 and "date column" in summary["errors"][0]["message"]


def test_an_older_manual_figure_does_not_roll_the_post_back(post, tmp_path, capsys):
    Post.objects.filter(pk=post.pk).update(views=9000, last_pulled_at=NOW)
    run_import(tmp_path, capsys, f"url,date,views\n{URL},2026-11-01,100\n")
    post.refresh_from_db()
    assert post.views == 9000
    assert MetricSnapshot.objects.get().views == 100


def test_an_unknown_workspace_is_named():
    with pytest.raises(CommandError, match="nowhere"):
        call_command("import_metrics", "x.csv", "--workspace", "nowhere")


@respx.mock
def test_pull_metrics_prints_what_came_back(workspace, settings, capsys):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    PostFactory(collaboration=collaboration, platform_id="dQw4w9WgXcQ")
    PostFactory(collaboration=collaboration, platform_id="gone0000000")
    respx.get(f"{LOOPBACK}/youtube/videos").respond(json=recorded("youtube/videos.json"))
    call_command("pull_metrics", "--workspace", "alice-agency")  # a deleted post is no failure
    out = capsys.readouterr().out
    assert "youtube (no connection): 2 posts" in out
    assert "watch?v=dQw4w9WgXcQ  views 48,213 · likes 2,210 · comments 187" in out
    assert "watch?v=gone0000000  gone (deleted)" in out
    assert "(not marked yet: read again first)" in out
    assert "1 snapshots written" in out
    assert "1 updated · 0 deleted · 1 checking again · 0 failed · 0 not configured" in out
    with time_machine.travel(NOW + RECHECK_AFTER, tick=False):
        call_command("pull_metrics", "--workspace", "alice-agency")
    out = capsys.readouterr().out
    assert "not marked yet" not in out
    assert "1 updated · 1 deleted · 0 checking again · 0 failed · 0 not configured" in out


def test_pull_metrics_exits_0_when_posts_wait_for_a_connection(workspace, capsys):
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    PostFactory(collaboration=collaboration)
    call_command("pull_metrics", "--workspace", "alice-agency")
    out = capsys.readouterr().out
    assert "NotConfigured (not_configured): No youtube connection" in out
    assert "0 updated · 0 deleted · 0 checking again · 0 failed · 1 not configured" in out


@respx.mock
def test_pull_metrics_exits_1_when_a_post_could_not_be_read(workspace, settings, capsys):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    PostFactory(collaboration=collaboration, platform_id="dQw4w9WgXcQ")
    respx.get(f"{LOOPBACK}/youtube/videos").respond(json=recorded("youtube/video_bad_count.json"))
    with pytest.raises(SystemExit) as exited:
        call_command("pull_metrics", "--workspace", "alice-agency")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "unreadable (bad_answer)" in out
    assert "0 updated · 0 deleted · 0 checking again · 1 failed · 0 not configured" in out


@respx.mock
def test_pull_metrics_reports_a_5xx_as_a_failure_the_worker_retries(workspace, settings, capsys):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    PostFactory(collaboration=collaboration, platform_id="dQw4w9WgXcQ")
    respx.get(f"{LOOPBACK}/youtube/videos").respond(
        503, json=recorded("youtube/error_backend.json")
    )
    with pytest.raises(SystemExit) as exited:
        call_command("pull_metrics", "--workspace", "alice-agency")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "TemporaryFailure (platform_down)" in out and "1 posts left unread" in out
    assert "0 updated · 0 deleted · 0 checking again · 1 failed · 0 not configured" in out


@respx.mock
def test_pull_metrics_reports_a_typed_error_for_one_post(workspace, settings, capsys):
    settings.YOUTUBE_API_KEY = "AIzaSyA-recorded-test-key"
    collaboration = CollaborationFactory(campaign__workspace=workspace)
    PostFactory(collaboration=collaboration, platform_id="dQw4w9WgXcQ")
    other = PostFactory(collaboration=collaboration, platform_id="9bZkp7q19f0")
    respx.get(f"{LOOPBACK}/youtube/videos").respond(
        403, json=recorded("youtube/error_quota_exceeded.json")
    )
    with pytest.raises(SystemExit) as exited:
        call_command("pull_metrics", "--workspace", "alice-agency", "--post", other.url)
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert ": 1 posts" in out
    assert "RateLimited (quota_exceeded) until 2026-11-24 00:00 PST" in out
    assert "quotaExceeded" in out


def test_pull_metrics_names_a_post_it_does_not_follow(workspace):
    with pytest.raises(CommandError, match="does not follow"):
        call_command(
            "pull_metrics", "--workspace", "alice-agency", "--post", "https://youtu.be/dQw4w9WgXcQ"
        )
