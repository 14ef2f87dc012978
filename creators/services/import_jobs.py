"""The browser's creator import as a job: upload, a check in the worker with progress, the
preview with column mapping, and the confirmed write (creators_import does the writing)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from creators.importer import (
    ColumnRole,
    ParsedImport,
    locate_header,
    parse_table,
)
from creators.models import (
    CreatorImport,
)
from creators.services.imports import creators_import
from kolhub.celery import send_task_after_commit
from kolhub.models import Workspace
from kolhub.spreadsheets import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    ImportSummary,
    RowError,
    read_table,
    table_check,
)

PREVIEW_ROWS = 15
SHOWN_ERRORS = 200
PREVIEW_CELL_CHARS = 200  # a cell of a preview table, cut (the import reads it whole)


def creator_import_upload(*, workspace: Workspace, user, upload, language: str) -> CreatorImport:
    """Keep an uploaded spreadsheet and have a worker check it; ImportFileError when it can
    be refused at once (empty, too large, not a workbook, unzips too large)."""
    data = upload.read(MAX_IMPORT_BYTES + 1)
    table_check(data, upload.name)
    creator_import = CreatorImport(
        workspace=workspace, filename=upload.name[:200], created_by=user, language=language
    )
    creator_import.file.save(
        f"{uuid.uuid4().hex}{Path(upload.name).suffix[:8]}", ContentFile(data), save=False
    )
    creator_import.save()
    _send_check(creator_import)
    return creator_import


def creator_import_set_mapping(
    *, creator_import: CreatorImport, mapping: dict[str, str], language: str
) -> None:
    """Remember which column holds what, as the user corrected it, and check again."""
    creator_import.mapping = mapping
    creator_import.save(update_fields=["mapping"])
    creator_import_recheck(creator_import=creator_import, language=language)


def creator_import_recheck(*, creator_import: CreatorImport, language: str) -> None:
    """Check the file again (another mapping, another language, a preview from before)."""
    CreatorImport.objects.filter(pk=creator_import.pk, status__in=_CHECKABLE).update(
        status=CreatorImport.Status.CHECKING, language=language, error=""
    )
    creator_import.refresh_from_db()
    if creator_import.status == CreatorImport.Status.CHECKING:
        _send_check(creator_import)


_CHECKABLE = (CreatorImport.Status.PREVIEW, CreatorImport.Status.CHECKING)


def _send_check(creator_import: CreatorImport) -> None:
    _record_progress(creator_import.pk, "queued")
    send_task_after_commit(
        "creators.tasks.check_import",
        import_id=creator_import.pk,
        workspace_id=creator_import.workspace_id,
    )


def _record_progress(import_id: int, step: str, done: int = 0) -> None:
    CreatorImport.objects.filter(pk=import_id).update(progress={"step": step, "done": done})


def _progress_of(import_id: int, step: str):
    return partial(_record_progress, import_id, step)


@dataclass(slots=True)
class _FirstRows:
    """What the preview shows of the table: its first rows below the header, and its size."""

    rows: list[list[str]]
    total: int


def _parse_stored(creator_import: CreatorImport) -> tuple[_FirstRows, ParsedImport]:
    """The stored file's rows checked, and its first rows as the preview shows them. Of the
    table only these are kept: it is as large as the checked rows that are written next."""
    frame = read_table(
        _stored_bytes(creator_import),
        creator_import.filename,
        on_progress=_progress_of(creator_import.pk, "reading"),
    )
    mapping = {name: ColumnRole.from_key(key) for name, key in creator_import.mapping.items()}
    _record_progress(creator_import.pk, "checking")
    parsed = parse_table(frame, mapping, on_progress=_progress_of(creator_import.pk, "checking"))
    return _first_rows(frame), parsed


def _stored_bytes(creator_import: CreatorImport) -> bytes:
    with creator_import.file.open("rb") as handle:
        return handle.read()


def _first_rows(frame: pd.DataFrame) -> _FirstRows:
    def cut(value: object) -> str:
        return str(value)[:PREVIEW_CELL_CHARS]

    table, _first_row = locate_header(frame)  # the rows below the header parse_table used
    rows = [[cut(cell) for cell in row] for row in table.head(PREVIEW_ROWS).values.tolist()]
    return _FirstRows(rows, len(table))


def creator_import_check(*, creator_import: CreatorImport) -> None:
    """Read and validate the file, and store what confirming would do (a dry run) for the
    preview; or why the file cannot be read."""
    if creator_import.status != CreatorImport.Status.CHECKING:
        return  # a check sent twice, or overtaken by another one
    with translation.override(creator_import.language or None):
        try:
            first_rows, parsed = _parse_stored(creator_import)
        except ImportFileError as exc:
            _finish_check(creator_import, status=CreatorImport.Status.FAILED, error=str(exc))
            return
        _record_progress(creator_import.pk, "comparing")
        summary = creators_import(
            workspace=creator_import.workspace, parsed=parsed, skip_invalid=True, dry_run=True
        )
    _finish_check(creator_import, preview=_preview_of(first_rows, parsed, summary))


def _finish_check(
    creator_import: CreatorImport,
    *,
    status: str = CreatorImport.Status.PREVIEW,
    preview: dict | None = None,
    error: str = "",
) -> None:
    # Only a check still wanted lands: the user may have asked for another one meanwhile.
    CreatorImport.objects.filter(pk=creator_import.pk, status=CreatorImport.Status.CHECKING).update(
        status=status, preview=preview or {}, error=error, progress={}
    )


def _preview_of(first_rows: _FirstRows, parsed: ParsedImport, summary: ImportSummary) -> dict:
    """What the preview page shows, as JSON: small whatever the size of the file."""
    return {
        "columns": [[name, role.key if role else ""] for name, role in parsed.columns.items()],
        "rows": first_rows.rows,
        "total_rows": first_rows.total,
        "first_row": parsed.first_row,
        "errors": [e.as_dict() for e in parsed.errors[:SHOWN_ERRORS]],
        "error_count": len(parsed.errors),
        "invalid_rows": parsed.invalid_rows,
        "unmapped_columns": parsed.unmapped_columns,
        "summary": summary.as_dict() | {"errors": []},
    }


def creator_import_start(*, creator_import: CreatorImport, skip_invalid: bool) -> bool:
    """Have a worker write a previewed import; False when it is not waiting for that (being
    checked, already importing or imported: a double submit does nothing)."""
    started = CreatorImport.objects.filter(
        pk=creator_import.pk, status=CreatorImport.Status.PREVIEW
    ).update(status=CreatorImport.Status.IMPORTING, error="", progress={"step": "queued"})
    if started:
        send_task_after_commit(
            "creators.tasks.apply_import",
            import_id=creator_import.pk,
            workspace_id=creator_import.workspace_id,
            skip_invalid=skip_invalid,
        )
    return bool(started)


def creator_import_apply(*, creator_import: CreatorImport, skip_invalid: bool) -> ImportSummary:
    """Write the previewed import; a second confirmation of the same upload does nothing.
    With rows in error and without `skip_invalid`, nothing is written and the preview stays."""
    if creator_import.status == CreatorImport.Status.APPLIED:
        return _applied_summary(creator_import)
    with translation.override(creator_import.language or None):
        try:  # outside the transaction, so that the page sees the progress
            parsed = _parse_stored(creator_import)[1]  # not the table: see _parse_stored
        except ImportFileError as exc:  # the stored file went missing or bad since the check
            CreatorImport.objects.filter(pk=creator_import.pk).update(
                status=CreatorImport.Status.FAILED, error=str(exc), progress={}
            )
            return ImportSummary(errors=[RowError(0, "", str(exc)).as_dict()])
        _record_progress(creator_import.pk, "writing", len(parsed.rows))
        return _write_parsed(creator_import.pk, parsed, skip_invalid=skip_invalid)


@transaction.atomic
def _write_parsed(import_id: int, parsed: ParsedImport, *, skip_invalid: bool) -> ImportSummary:
    locked = CreatorImport.objects.select_for_update().get(pk=import_id)
    if locked.status == CreatorImport.Status.APPLIED:  # another worker was first
        return _applied_summary(locked)
    summary = creators_import(workspace=locked.workspace, parsed=parsed, skip_invalid=skip_invalid)
    if summary.errors and not skip_invalid:
        locked.status = CreatorImport.Status.PREVIEW
        locked.error = _("Nothing was imported: fix the rows listed below, or skip them.")
    else:
        locked.status, locked.summary = CreatorImport.Status.APPLIED, summary.as_dict()
    locked.progress = {}
    locked.save(update_fields=["status", "summary", "error", "progress"])
    return summary


def _applied_summary(creator_import: CreatorImport) -> ImportSummary:
    return ImportSummary(**{k: v for k, v in creator_import.summary.items() if k != "dry_run"})


def creator_import_timed_out(*, creator_import: CreatorImport) -> None:
    """A worker ran out of time: a check fails; an import, rolled back, goes back to its
    preview. Either way the page says so instead of waiting for ever."""
    with translation.override(creator_import.language or None):
        message = _("The file took too long to process. Split it into smaller files.")
    _interrupt(creator_import, message)


def creator_import_crashed(*, creator_import: CreatorImport) -> None:
    """A worker failed on the file (the error is in its log): the page says so."""
    with translation.override(creator_import.language or None):
        message = _(
            "Something went wrong while processing the file; nothing was imported. The "
            "administrators can see the error in the worker's log."
        )
    _interrupt(creator_import, message)


def _interrupt(creator_import: CreatorImport, message: str) -> None:
    CreatorImport.objects.filter(pk=creator_import.pk, status=CreatorImport.Status.CHECKING).update(
        status=CreatorImport.Status.FAILED, error=message, progress={}
    )
    CreatorImport.objects.filter(
        pk=creator_import.pk, status=CreatorImport.Status.IMPORTING
    ).update(status=CreatorImport.Status.PREVIEW, error=message, progress={})
