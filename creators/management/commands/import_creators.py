"""python manage.py import_creators PATH --workspace SLUG [--dry-run] [--skip-invalid]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from creators import services
from creators.importer import ImportFileError, parse_table, read_table
from kolhub.models import Workspace


class Command(BaseCommand):
    help = (
        "Import creators from a CSV or XLSX file and print a JSON summary. Without "
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
    ) -> None:
        try:
            target = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with the URL name {workspace!r}.") from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            parsed = parse_table(read_table(data, path.name))
        except ImportFileError as exc:
            summary = services.ImportSummary(
                errors=[{"row": 0, "column": "", "message": str(exc)}], dry_run=dry_run
            )
        else:
            summary = services.creators_import(
                workspace=target, parsed=parsed, skip_invalid=skip_invalid, dry_run=dry_run
            )
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if summary.errors:
            raise SystemExit(1)
