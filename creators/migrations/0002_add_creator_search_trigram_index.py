"""A trigram index for the directory's substring search, on PostgreSQL only.

SQLite has no trigram index; there the search scans, which is fine at laptop sizes.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS creator_search_trgm "
    "ON creators_creator USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS creator_search_trgm"]


def run_on_postgres(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("creators", "0001_initial_roster")]

    operations = [migrations.RunPython(run_on_postgres(CREATE), run_on_postgres(DROP))]
