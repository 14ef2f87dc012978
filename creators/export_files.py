"""The directory as a download: built in the request for a small roster, by a worker for a
large one (the same design as tracking's campaign report files).

A large export is a DirectoryExport row holding what was on screen (the query string), the
format and the asker's language: the click sends the build to a worker and the page follows
its progress; the link then serves the stored file to the member who asked. The roster has no
version to key files by, so each click is a new export, except a second click on the same one
while it is still being built; the daily prune deletes them after DIRECTORY_EXPORT_KEEP_HOURS.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creators import export, selectors
from creators.forms import DirectoryFilterForm
from creators.models import DirectoryExport
from kolhub.celery import send_task_after_commit
from kolhub.models import Membership, Workspace

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    build: Callable[[pd.DataFrame], bytes]


FORMATS = {
    "csv": ExportFormat("text/csv; charset=utf-8", export.to_csv),
    "xlsx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.to_xlsx
    ),
}


def directory_filters(workspace: Workspace, query: QueryDict) -> dict:
    """The directory's valid filters in a query string (the page's, or a stored export's)."""
    return DirectoryFilterForm(
        query,
        workspace=workspace,
        categories=selectors.workspace_categories(workspace),
        regions=selectors.workspace_regions(workspace),
    ).filters()


def built_in_worker(creator_count: int) -> bool:
    """Whether an export of this many creators is built by a worker."""
    return creator_count > settings.DIRECTORY_EXPORT_WORKER_ROWS


def export_build(creators: export.DirectoryRows, file_format: str) -> bytes:
    """The file of these creators, in the active language."""
    return FORMATS[file_format].build(export.directory_frame(creators))


def export_filename(workspace: Workspace, file_format: str, day: date) -> str:
    return f"creators-{workspace.slug}-{day:%Y%m%d}.{file_format}"


# --- The worker's files ------------------------------------------------------------------


def directory_export_ready(directory_export: DirectoryExport) -> bool:
    """Built, and its file still on the disk."""
    return (
        directory_export.status == DirectoryExport.Status.READY
        and bool(directory_export.file)
        and directory_export.file.storage.exists(directory_export.file.name or "")
    )


def directory_export_request(
    *, membership: Membership, filters: str, file_format: str, language: str
) -> DirectoryExport:
    """The member's export of these filters, format and language still being built, or a new
    one sent to a worker."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format: {file_format}")
    asked = {
        "workspace_id": membership.workspace_id,
        "requested_by_id": membership.user_id,
        "filters": filters,
        "file_format": file_format,
        "language": language,
    }
    building = DirectoryExport.objects.filter(
        **asked, status__in=[DirectoryExport.Status.QUEUED, DirectoryExport.Status.BUILDING]
    ).first()
    if building is not None:
        return building
    directory_export = DirectoryExport.objects.create(**asked, progress={"step": "queued"})
    send_task_after_commit(
        "creators.tasks.build_directory_export",
        directory_export_id=directory_export.pk,
        workspace_id=directory_export.workspace_id,
    )
    return directory_export


def _record(directory_export: DirectoryExport, **fields) -> None:
    for name, value in fields.items():
        setattr(directory_export, name, value)
    DirectoryExport.objects.filter(pk=directory_export.pk).update(**fields)


def directory_export_build(*, directory_export_id: int, workspace_id: int) -> None:
    """Build a requested export from the roster as it is now, with its filters, in its
    language and the workspace's time zone; a failure is kept as a message for the page."""
    directory_export = (
        DirectoryExport.objects.select_related("workspace")
        .filter(
            pk=directory_export_id,
            workspace_id=workspace_id,
            status__in=[DirectoryExport.Status.QUEUED, DirectoryExport.Status.BUILDING],
        )
        .first()
    )
    if directory_export is None:  # built meanwhile, or pruned
        return
    workspace = directory_export.workspace
    _record(directory_export, status=DirectoryExport.Status.BUILDING, progress={"step": "reading"})
    with (
        translation.override(directory_export.language),
        timezone.override(zoneinfo.ZoneInfo(workspace.timezone)),
    ):
        try:
            query = QueryDict(directory_export.filters)
            filters = directory_filters(workspace, query)
            frame = export.directory_frame(selectors.creator_directory_export(workspace, filters))
            _record(directory_export, progress={"step": "writing", "creators": len(frame)})
            content = FORMATS[directory_export.file_format].build(frame)
            directory_export.file.save(
                f"creators.{directory_export.file_format}", ContentFile(content), save=False
            )
        except Exception:
            logger.exception("Directory export %s could not be built", directory_export_id)
            _record(
                directory_export,
                status=DirectoryExport.Status.FAILED,
                error=_(
                    "The file could not be prepared. Try again; if it fails again, tell the team."
                ),
                progress={"step": "failed"},
                finished_at=timezone.now(),
            )
            return
    kept = DirectoryExport.objects.filter(pk=directory_export.pk).update(
        status=DirectoryExport.Status.READY,
        progress={**directory_export.progress, "step": "done"},
        file=directory_export.file.name,
        finished_at=timezone.now(),
    )
    if not kept:  # pruned while the file was written
        directory_export.file.delete(save=False)


def directory_exports_prune(*, now: datetime | None = None) -> int:
    """Delete the exports (and their files) older than DIRECTORY_EXPORT_KEEP_HOURS; returns
    how many."""
    now = now or timezone.now()
    old = list(
        DirectoryExport.objects.filter(
            created_at__lt=now - timedelta(hours=settings.DIRECTORY_EXPORT_KEEP_HOURS)
        )
    )
    names = [(row.file.storage, row.file.name or "") for row in old if row.file]
    DirectoryExport.objects.filter(pk__in=[row.pk for row in old]).delete()

    def remove_files() -> None:
        for storage, name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove_files)
    return len(old)
