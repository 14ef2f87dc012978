"""Tasks keep the names that beat entries, queued messages and ingest's sends use."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from kolhub.celery import app
from tracking import tasks

DISPATCH = Path(tasks.__file__).parent / "ingest" / "dispatch.py"


def names_sent_by_ingest() -> set[str]:
    tree = ast.parse(DISPATCH.read_text())
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("tracking.tasks.")
    }


def test_it_registers_every_task_of_the_beat_schedule_by_its_name():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_it_resolves_the_names_ingest_sends_to_the_tasks_themselves():
    sent = names_sent_by_ingest()
    assert sent == {"tracking.tasks.pull_posts", "tracking.tasks.fetch_thumbnails"}
    for name in sent:
        assert app.signature(name).type.run.__module__ == "tracking.tasks"


def test_every_tracking_task_is_named_where_it_is_defined():
    for name in dir(tasks):
        task = getattr(tasks, name)
        if hasattr(task, "run") and hasattr(task, "name"):
            assert task.name == f"tracking.tasks.{name}"
