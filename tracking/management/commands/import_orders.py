"""python manage.py import_orders PATH --workspace SLUG [--dry-run] [--skip-invalid]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from pandas import DataFrame

from kolhub.models import Workspace
from kolhub.spreadsheets import ImportCommand, ImportSummary
from tracking.sales.conversions import DEFAULT_WINDOW_DAYS
from tracking.sales.orders_import import orders_import, parse_orders


class Command(ImportCommand):
    help = (
        "Import orders from a CSV or XLSX export (Shopify's one row per line item included), "
        "attribute them to creators and print a JSON summary. Without --skip-invalid, any "
        "invalid order means nothing is written. Exits 1 when there are errors."
    )
    skip_invalid_help = "write the valid orders, skip the others"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--window-days",
            type=int,
            default=DEFAULT_WINDOW_DAYS,
            help="days a tracked link's click counts before an order (default 30)",
        )

    def import_table(self, frame: DataFrame, workspace: Workspace, **options: Any) -> ImportSummary:
        return orders_import(
            workspace=workspace,
            parsed=parse_orders(frame),
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            window_days=options["window_days"],
        )
