"""Tasks keep the names that beat entries, queued messages and sends by name use."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.conf import settings

from kolhub.celery import app

ROOT = Path(settings.BASE_DIR)
SENDERS = {"send_task_now", "send_task_after_commit"}
TASK_MODULES = ["kolhub.tasks", "campaigns.tasks", "tracking.tasks"]


def names_sent_by_name() -> dict[str, str]:
    """task name → a file that sends it through kolhub.celery's helpers."""
    sent = {}
    for app_name in ("kolhub", "creators", "campaigns", "tracking"):
        for path in (ROOT / app_name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) in SENDERS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    sent[node.args[0].value] = str(path.relative_to(ROOT))
    return sent


def test_it_registers_every_task_of_the_beat_schedule_by_its_name():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_every_name_sent_is_a_registered_task():
    sent = names_sent_by_name()
    assert {
        "tracking.tasks.pull_posts",
        "tracking.tasks.fetch_thumbnails",
        "kolhub.tasks.send_invitation_email",
        "campaigns.tasks.send_staff_reminders",
        "campaigns.tasks.send_creator_reminder",
    } <= set(sent)
    for name, sender in sent.items():
        assert name in app.tasks, f"{sender} sends {name}, which no task is named"


def test_every_task_is_named_explicitly_for_where_it_is_defined():
    for module_name in TASK_MODULES:
        module = importlib.import_module(module_name)
        source = Path(module.__file__).read_text()
        for name in dir(module):
            task = getattr(module, name)
            if hasattr(task, "run") and hasattr(task, "name") and task.name.startswith(module_name):
                assert task.name == f"{module_name}.{name}"
                assert f'name="{module_name}.{name}"' in source, f"{task.name} has no name="
