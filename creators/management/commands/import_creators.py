"""python manage.py import_creators PATH --workspace SLUG [--dry-run] [--skip-invalid]"""

from __future__ import annotations

from typing import Any

from pandas import DataFrame

from creators import services
from creators.importer import parse_table
from kolhub.models import Workspace
from kolhub.spreadsheets import ImportCommand, ImportSummary


class Command(ImportCommand):
    help = (
        "Import creators from a CSV or XLSX file and print a JSON summary. Without "
        "--skip-invalid, any invalid row means nothing is written. Exits 1 when there are errors."
    )

    def import_table(self, frame: DataFrame, workspace: Workspace, **options: Any) -> ImportSummary:
        return services.creators_import(
            workspace=workspace,
            parsed=parse_table(frame),
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
