"""Writing many rows at once: inserts, upserts and updates that stream through COPY on
PostgreSQL.

Django's bulk_create sends PostgreSQL one array per column (UNNEST), and psycopg builds each
array in Python, escaping every element: for twenty thousand rows with a JSON column that
costs more than the database's work. COPY into a staging table and one INSERT … ON CONFLICT
cost a fraction of it. Elsewhere (SQLite) bulk_create does the same upsert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction


def rows_upsert(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    unique: Sequence[str],
    batch_size: int = 2000,
) -> int:
    """Insert `rows` (values in the order of `fields`) into the model's table, updating the
    row already there when one has the same `unique` fields; returns the rows written.

    `fields` name every column the table needs: a field left out takes no default from the
    model (the column's NULL, or the database's own default)."""
    if not rows:
        return 0
    meta = model._meta
    concrete = [_concrete(model, name) for name in fields]
    columns = [str(field.column) for field in concrete]
    keys = [str(_concrete(model, name).column) for name in unique]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=list(unique),
            update_fields=[
                name for name, column in zip(fields, columns, strict=True) if column not in keys
            ],
        )
        return len(rows)
    table, stage = meta.db_table, f"{meta.db_table}_stage"
    listed = ", ".join(f'"{column}"' for column in columns)
    updates = ", ".join(
        f'"{column}" = EXCLUDED."{column}"' for column in columns if column not in keys
    )
    # No savepoint inside the caller's transaction: nothing here needs undoing on its own.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        _stage(cursor, stage, table, listed, concrete, rows)
        cursor.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {stage} "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
        )
    return len(rows)


def rows_insert(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    batch_size: int = 2000,
) -> int:
    """Insert `rows` (values in the order of `fields`) into the model's table: COPY straight
    into it on PostgreSQL, bulk_create elsewhere. Returns the rows written. As for rows_upsert,
    a field left out of `fields` takes the column's default, not the model's."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=batch_size
        )
        return len(rows)
    concrete = [_concrete(model, name) for name in fields]
    listed = ", ".join(f'"{field.column}"' for field in concrete)
    with connection.cursor() as cursor:
        _copy_in(cursor, model._meta.db_table, listed, concrete, rows)
    return len(rows)


def rows_update(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    workspace_id: int,
) -> int:
    """PostgreSQL only: set `fields` of the workspace's rows whose primary key is each row's
    first value (`fields[0]` is the key) in one UPDATE … FROM a staging table filled by COPY
    (an UPDATE … FROM (VALUES …) of 20,000 rows spends seconds in psycopg binding its
    parameters). Returns the rows changed."""
    if not rows:
        return 0
    meta = model._meta
    concrete = [_concrete(model, name) for name in fields]
    columns = [str(field.column) for field in concrete]
    table, stage = meta.db_table, f"{meta.db_table}_stage"
    listed = ", ".join(f'"{column}"' for column in columns)
    key, *changed = columns
    assignments = ", ".join(f'"{column}" = s."{column}"' for column in changed)
    # No savepoint inside the caller's transaction: nothing here needs undoing on its own.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        _stage(cursor, stage, table, listed, concrete, rows)
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {stage} AS s "  # noqa: S608
            f'WHERE t."{key}" = s."{key}" AND t.workspace_id = %s',
            [workspace_id],
        )
        return cursor.rowcount


def _stage(cursor, stage: str, table: str, listed: str, fields: list[models.Field], rows) -> None:
    """A temporary copy of the table's columns (no constraints or indexes: a plain heap,
    dropped at the end of the transaction), filled with `rows` by COPY."""
    # One round trip for both statements (no parameters: the simple query protocol).
    cursor.execute(
        f"DROP TABLE IF EXISTS {stage}; "  # noqa: S608 - names from the model
        f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
        f"SELECT {listed} FROM {table} WITH NO DATA"
    )
    _copy_in(cursor, stage, listed, fields, rows)


def _copy_in(cursor, table: str, listed: str, fields: list[models.Field], rows) -> None:
    """`rows` into the `listed` columns of `table` by COPY."""
    # JSON wrapped for psycopg as the field would save it; every other value goes as it is
    # (numbers, text, times, decimals), which spares a call per value.
    json = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
    with cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
        for row in rows:
            values = list(row)
            for i in json:
                values[i] = fields[i].get_db_prep_save(values[i], connection)
            copy.write_row(values)


def _concrete(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a column of {model.__name__}"
    return field
