"""A task for tests/kolhub/test_worker_reconnect.py, loaded by its worker with `--include`.

It touches neither the database nor the cache: the test's worker runs against a Redis server of
its own and folders of its own, with nothing of a running `make run` in reach.
"""

from __future__ import annotations

import time
from pathlib import Path

from celery import shared_task

GATE = "gate"
RUNS = "runs"


@shared_task(
    name="tests.kolhub.reconnect_tasks.gated",
    ignore_result=True,
    soft_time_limit=30,
    time_limit=40,
)
def gated(folder: str, label: str) -> None:
    """Write `started <label>`, wait until the test opens the gate, write `finished <label>`."""
    runs = Path(folder) / RUNS
    with runs.open("a") as log:
        log.write(f"started {label}\n")
    while not (Path(folder) / GATE).exists():
        time.sleep(0.05)
    with runs.open("a") as log:
        log.write(f"finished {label}\n")
