"""The campaign report as a download: built in the request for a small campaign, by a worker
for a large one.

A large campaign's file is a ReportFile row keyed by the campaign, the version of its stored
figures (CampaignResult.computed_at), the format and the language: the first request sends
the build to a worker and the page follows its progress; every later request for the same
version serves the stored file. A new version of the figures makes the old files useless:
they are deleted when the new one is asked for, and by the daily prune.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from kolhub.celery import send_task_after_commit
from tracking.models import CampaignResult, CampaignResultLine, ReportFile
from tracking.results import reports
from tracking.results.figures import campaign_result_current

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    build: Callable[[reports.ReportData], bytes]


FORMATS = {
    "xlsx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        reports.campaign_xlsx,
    ),
    "pdf": ExportFormat("application/pdf", reports.campaign_pdf),
}


def built_in_worker(result: CampaignResult) -> bool:
    """Whether this campaign's files are built by a worker: more collaborations in its stored
    figures than REPORT_EXPORT_WORKER_ROWS. Counted from the report's stored lines, one per
    creator row (the pages read the result without its report, hundreds of KB on a big one)."""
    lines = CampaignResultLine.objects.filter(campaign_id=result.campaign_id)
    return (
        lines[: settings.REPORT_EXPORT_WORKER_ROWS + 1].count() > settings.REPORT_EXPORT_WORKER_ROWS
    )


def export_filename(campaign: Campaign, file_format: str) -> str:
    return f"{campaign.slug or campaign.pk}-{timezone.localdate():%Y%m%d}.{file_format}"


def export_build(campaign: Campaign, result: CampaignResult, file_format: str) -> bytes:
    """The file of these stored figures, in the active language (a small campaign's, in the
    request; a worker's through report_file_build)."""
    return FORMATS[file_format].build(reports.report_data(campaign, result))


# --- The worker's files ------------------------------------------------------------------


def report_file_ready(report_file: ReportFile) -> bool:
    """Built, and its file still on the disk."""
    return (
        report_file.status == ReportFile.Status.READY
        and bool(report_file.file)
        and report_file.file.storage.exists(report_file.file.name or "")
    )


def report_file_request(
    *, campaign: Campaign, result: CampaignResult, file_format: str, language: str
) -> ReportFile:
    """The file of these figures, format and language: the one built or being built, or a new
    one sent to a worker. A failed build, or a built file gone from the disk, is sent again."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown report format: {file_format}")
    report_file, created = ReportFile.objects.get_or_create(
        workspace_id=campaign.workspace_id,
        campaign=campaign,
        computed_at=result.computed_at,
        file_format=file_format,
        language=language,
        defaults={"progress": {"step": "queued"}},
    )
    if created:
        # The figures changed since the older files were built: nobody is served them again.
        # One still being built stays (its page is polling it): the worker sees the figures
        # changed and says so; the daily prune takes it.
        _delete(
            ReportFile.objects.filter(campaign=campaign)
            .exclude(computed_at=result.computed_at)
            .exclude(status__in=[ReportFile.Status.QUEUED, ReportFile.Status.BUILDING])
        )
        _send_build(report_file)
    elif report_file.status == ReportFile.Status.FAILED or (
        report_file.status == ReportFile.Status.READY and not report_file_ready(report_file)
    ):
        retried = ReportFile.objects.filter(pk=report_file.pk, status=report_file.status).update(
            status=ReportFile.Status.QUEUED, progress={"step": "queued"}, error="", file=""
        )
        report_file.refresh_from_db()
        if retried:
            _send_build(report_file)
    return report_file


def _send_build(report_file: ReportFile) -> None:
    send_task_after_commit(
        "tracking.tasks.build_report_file",
        report_file_id=report_file.pk,
        workspace_id=report_file.workspace_id,
    )


def _record(report_file: ReportFile, **fields) -> None:
    for name, value in fields.items():
        setattr(report_file, name, value)
    ReportFile.objects.filter(pk=report_file.pk).update(**fields)


def report_file_build(*, report_file_id: int) -> None:
    """Build a requested file from the stored figures of its version, in its language and the
    workspace's time zone; any failure is kept as a message in that language for the page."""
    report_file = (
        ReportFile.objects.select_related("campaign__brand", "campaign__workspace")
        .filter(
            pk=report_file_id, status__in=[ReportFile.Status.QUEUED, ReportFile.Status.BUILDING]
        )
        .first()
    )
    if report_file is None:  # built meanwhile, or deleted with its version
        return
    campaign = report_file.campaign
    _record(report_file, status=ReportFile.Status.BUILDING, progress={"step": "reading"})
    with (
        translation.override(report_file.language),
        timezone.override(zoneinfo.ZoneInfo(campaign.workspace.timezone)),
    ):
        try:
            result = campaign_result_current(campaign)
            if result.computed_at != report_file.computed_at:
                _fail(
                    report_file,
                    _(
                        "The figures changed while the file was being prepared. "
                        "Export again to get the new figures."
                    ),
                )
                return
            data = reports.report_data(campaign, result)
            _record(report_file, progress={"step": "writing"})
            content = FORMATS[report_file.file_format].build(data)
            report_file.file.save(
                f"report.{report_file.file_format}", ContentFile(content), save=False
            )
        except Exception:
            logger.exception("Report file %s could not be built", report_file_id)
            _fail(
                report_file,
                _("The file could not be prepared. Try again; if it fails again, tell the team."),
            )
            return
    kept = ReportFile.objects.filter(pk=report_file.pk).update(
        status=ReportFile.Status.READY,
        progress={"step": "done"},
        file=report_file.file.name,
        finished_at=timezone.now(),
    )
    if not kept:  # the row went with its version while the file was written
        report_file.file.delete(save=False)


def _fail(report_file: ReportFile, message: str) -> None:
    _record(
        report_file,
        status=ReportFile.Status.FAILED,
        error=message,
        progress={"step": "failed"},
        finished_at=timezone.now(),
    )


def report_files_prune(*, now: datetime | None = None) -> int:
    """Delete the files of figures since recomputed, and any older than
    REPORT_FILES_KEEP_HOURS; returns how many."""
    now = now or timezone.now()
    old = now - timedelta(hours=settings.REPORT_FILES_KEEP_HOURS)
    rows = ReportFile.objects.filter(
        Q(created_at__lt=old)
        | Q(campaign__result__isnull=True)
        | ~Q(computed_at=F("campaign__result__computed_at"))
    )
    return _delete(rows)


def _delete(rows: Iterable[ReportFile]) -> int:
    found = list(rows)
    names = [(row.file.storage, row.file.name or "") for row in found if row.file]
    if not found:
        return 0
    ReportFile.objects.filter(pk__in=[row.pk for row in found]).delete()

    def remove_files() -> None:
        for storage, name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove_files)
    return len(found)
