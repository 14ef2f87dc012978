"""python manage.py import_metrics PATH --workspace SLUG [--dry-run] [--skip-invalid]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from creators.importer import ImportFileError, RowError, read_table
from creators.services import ImportSummary
from kolhub.models import Workspace
from tracking.ingest.metrics_import import metrics_import, parse_metrics
from tracking.models import SnapshotSource


class Command(BaseCommand):
    help = (
        "Import post metrics (post URL, captured at, any of views, reach, impressions, likes, "
        "comments, shares, saves) from a CSV or XLSX file and print a JSON summary. Without "
        "--skip-invalid, any invalid row means nothing is written. Exits 1 when there are errors."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--workspace", required=True, help="the workspace's URL name (slug)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count only")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid rows, skip the others"
        )

    def handle(
        self, *args, path: Path, workspace: str, dry_run: bool, skip_invalid: bool, **options
    ):
        try:
            target = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with the URL name {workspace!r}.") from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            rows, errors = parse_metrics(read_table(data, path.name), target)
        except ImportFileError as exc:
            summary = ImportSummary(errors=[RowError(0, "", str(exc)).as_dict()], dry_run=dry_run)
        else:
            summary = metrics_import(
                workspace=target,
                rows=rows,
                errors=errors,
                source=SnapshotSource.CSV,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
            )
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if summary.errors:
            raise SystemExit(1)
