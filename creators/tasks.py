"""The creators app's Celery tasks: reading, checking and writing an uploaded spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from creators import export_files, services
from creators.models import CreatorImport

# A 100,000-row workbook takes about a minute to read, check and compare on a small machine.
IMPORT_TASK = {"ignore_result": True, "soft_time_limit": 300, "time_limit": 360}


@shared_task(name="creators.tasks.check_import", **IMPORT_TASK)
def check_import(import_id: int, workspace_id: int) -> None:
    """Read and validate an upload and store its preview."""
    creator_import = _load(import_id, workspace_id)
    if creator_import is None:
        return
    with _reported(creator_import):
        services.creator_import_check(creator_import=creator_import)


@shared_task(name="creators.tasks.apply_import", **IMPORT_TASK)
def apply_import(import_id: int, workspace_id: int, skip_invalid: bool) -> None:
    """Write a previewed upload to the roster."""
    creator_import = _load(import_id, workspace_id)
    if creator_import is None:
        return
    with _reported(creator_import):
        services.creator_import_apply(creator_import=creator_import, skip_invalid=skip_invalid)


@contextmanager
def _reported(creator_import: CreatorImport) -> Iterator[None]:
    """The page polling this import hears how a step ended, even when it ended badly."""
    try:
        yield
    except SoftTimeLimitExceeded:
        services.creator_import_timed_out(creator_import=creator_import)
    except Exception:
        services.creator_import_crashed(creator_import=creator_import)
        raise  # into the worker's log, with its traceback


def _load(import_id: int, workspace_id: int) -> CreatorImport | None:
    # Deleted meanwhile (with its workspace): nothing to do.
    return CreatorImport.objects.filter(pk=import_id, workspace_id=workspace_id).first()


@shared_task(
    name="creators.tasks.build_directory_export",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def build_directory_export(directory_export_id: int, workspace_id: int) -> None:
    """Build a large directory's CSV or XLSX and store it for download."""
    export_files.directory_export_build(
        directory_export_id=directory_export_id, workspace_id=workspace_id
    )


@shared_task(
    name="creators.tasks.prune_directory_exports",
    ignore_result=True,
    soft_time_limit=300,
    time_limit=330,
)
def prune_directory_exports() -> None:
    """Daily: delete directory exports kept long enough."""
    export_files.directory_exports_prune()
