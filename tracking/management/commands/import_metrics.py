"""python manage.py import_metrics PATH --workspace SLUG [--dry-run] [--skip-invalid]"""

from __future__ import annotations

from typing import Any

from pandas import DataFrame

from kolhub.models import Workspace
from kolhub.spreadsheets import ImportCommand, ImportSummary
from tracking.ingest.metrics_import import metrics_import, parse_metrics
from tracking.models import SnapshotSource


class Command(ImportCommand):
    help = (
        "Import post metrics (post URL, captured at, any of views, reach, impressions, likes, "
        "comments, shares, saves) from a CSV or XLSX file and print a JSON summary. Without "
        "--skip-invalid, any invalid row means nothing is written. Exits 1 when there are errors."
    )

    def import_table(self, frame: DataFrame, workspace: Workspace, **options: Any) -> ImportSummary:
        rows, errors = parse_metrics(frame, workspace)
        return metrics_import(
            workspace=workspace,
            rows=rows,
            errors=errors,
            source=SnapshotSource.CSV,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
