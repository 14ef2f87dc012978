"""python manage.py import_orders PATH --workspace SLUG [--dry-run] [--skip-invalid]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from creators.importer import ImportFileError, RowError, read_table
from creators.services import ImportSummary
from kolhub.models import Workspace
from tracking.sales.conversions import DEFAULT_WINDOW_DAYS
from tracking.sales.orders_import import orders_import, parse_orders


class Command(BaseCommand):
    help = (
        "Import orders from a CSV or XLSX export (Shopify's one row per line item included), "
        "attribute them to creators and print a JSON summary. Without --skip-invalid, any "
        "invalid order means nothing is written. Exits 1 when there are errors."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--workspace", required=True, help="the workspace's URL name (slug)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count only")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid orders, skip the others"
        )
        parser.add_argument(
            "--window-days",
            type=int,
            default=DEFAULT_WINDOW_DAYS,
            help="days a tracked link's click counts before an order (default 30)",
        )

    def handle(self, *args, path: Path, workspace: str, dry_run: bool, skip_invalid: bool,
               window_days: int, **options) -> None:  # fmt: skip
        try:
            target = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with the URL name {workspace!r}.") from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            parsed = parse_orders(read_table(data, path.name))
        except ImportFileError as exc:
            summary = ImportSummary(errors=[RowError(0, "", str(exc)).as_dict()], dry_run=dry_run)
        else:
            summary = orders_import(
                workspace=target,
                parsed=parsed,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                window_days=window_days,
            )
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if summary.errors:
            raise SystemExit(1)
