"""Writing an event row: the execution's next ``seq``, the row, and one other change, at once.

A run writes two events a step, each with a change to its step row. On PostgreSQL all of it is
one statement (data-modifying ``WITH`` clauses), one round trip instead of five (BEGIN, the
change, the ``seq``, the insert, COMMIT). Elsewhere (SQLite, the embedded default, which has no
round trips to save) it is a short transaction of the same three statements.

A running engine's events are written in batches (``events_insert``, see event_writer.py): one
transaction with their step-row changes, one ``UPDATE`` that reserves as many ``seq`` values as
there are events, and one multi-row ``INSERT``.

Taking the ``seq`` updates the execution row, which locks it: concurrent writers of one run's
events (the worker, a control from the web) get distinct, ordered values.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.sql.subqueries import UpdateQuery
from django.utils import timezone

from apps.executions.models import Execution, ExecutionEvent


@dataclass(frozen=True)
class RowChange:
    """``model.objects.filter(pk=pk).update(**values)``, written together with an event."""

    model: type[Model]
    pk: Any
    values: dict[str, Any]

    @property
    def queryset(self) -> QuerySet:
        return self.model._default_manager.filter(pk=self.pk)


@dataclass(frozen=True)
class NewEvent:
    """An event not stored yet: its type, payload, row change and the moment it happened."""

    type: str
    payload: dict[str, Any]
    change: RowChange | None
    created_at: datetime


def event_insert(
    execution_id, event_type: str, payload: dict[str, Any], change: RowChange | None = None
) -> ExecutionEvent:
    """Store ``change`` and an event with the execution's next ``seq``; the stored event."""
    if connection.vendor == "postgresql":
        return _in_one_statement(execution_id, event_type, payload, change)
    with transaction.atomic(savepoint=False):
        if change is not None:
            change.queryset.update(**change.values)
        seq = _next_seq(execution_id)
        return ExecutionEvent.objects.create(
            execution_id=execution_id, seq=seq, type=event_type, payload=payload
        )


def _in_one_statement(execution_id, event_type, payload, change) -> ExecutionEvent:
    fields = {field.name: field for field in ExecutionEvent._meta.concrete_fields}
    created_at = timezone.now()
    clauses, params = [], []
    if change is not None:
        sql, change_params = _update_sql(change)
        clauses.append(f"changed AS ({sql})")
        params.extend(change_params)
    clauses.append(f"next AS ({_seq_sql()})")
    execution_pk = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    params += [
        execution_pk,
        execution_pk,
        event_type,
        fields["payload"].get_db_prep_save(payload, connection),
        fields["created_at"].get_db_prep_save(created_at, connection),
    ]
    columns = ", ".join(
        fields[name].column for name in ("execution", "seq", "type", "payload", "created_at")
    )
    id_, seq = _returned(
        f"WITH {', '.join(clauses)} INSERT INTO {_table(ExecutionEvent)} ({columns}) "  # noqa: S608 - the models' own names
        "SELECT %s, last_seq, %s, %s, %s FROM next RETURNING id, seq",
        params,
        execution_id,
    )
    event = ExecutionEvent(
        id=id_,
        execution_id=execution_id,
        seq=seq,
        type=event_type,
        payload=payload,
        created_at=created_at,
    )
    event._state.adding, event._state.db = False, connection.alias  # noqa: SLF001 - a loaded row
    return event


def events_insert(execution_id: object, events: Sequence[NewEvent]) -> list[ExecutionEvent]:
    """Store ``events`` (with their changes, in order) under the next ``len(events)`` seqs."""
    with transaction.atomic():
        _rows_update(event.change for event in events if event.change is not None)
        first = _next_seq(execution_id, len(events)) - len(events) + 1
        stored = [
            ExecutionEvent(
                execution_id=execution_id,
                seq=first + number,
                type=event.type,
                payload=event.payload,
                created_at=event.created_at,
            )
            for number, event in enumerate(events)
        ]
        _insert_rows(stored)
    return stored


def _rows_update(changes: Iterable[RowChange]) -> None:
    """Apply ``changes``: each row gets the values of its changes in order (a later change of a
    field wins), as one update after another would leave it. On PostgreSQL that is one
    ``UPDATE … FROM (VALUES …)`` per model and set of fields."""
    merged: dict[tuple[type[Model], Any], dict[str, Any]] = {}
    for change in changes:
        merged.setdefault((change.model, change.pk), {}).update(change.values)
    groups: dict[tuple[type[Model], tuple[str, ...]], list[tuple[Any, dict[str, Any]]]] = {}
    for (model, pk), values in merged.items():
        groups.setdefault((model, tuple(sorted(values))), []).append((pk, values))
    for (model, names), rows in groups.items():
        if connection.vendor == "postgresql":
            _update_from_values(model, names, rows)
        else:
            for pk, values in rows:
                model._default_manager.filter(pk=pk).update(**values)


def _update_from_values(model: type[Model], names: tuple[str, ...], rows: list) -> None:
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in names)]
    params: list[Any] = []
    for pk, values in rows:
        params.append(meta.pk.get_db_prep_value(pk, connection))
        params += [field.get_db_prep_save(values[field.name], connection) for field in fields[1:]]
    typed = ", ".join(f"%s::{field.db_type(connection)}" for field in fields)
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in fields]
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(model)} AS t SET {assignments} "  # noqa: S608 - the model's own names
            f"FROM (VALUES {', '.join([f'({typed})'] * len(rows))}) AS v({', '.join(columns)}) "
            f"WHERE t.{columns[0]} = v.{columns[0]}",
            params,
        )


def _insert_rows(events: list[ExecutionEvent]) -> None:
    """One multi-row ``INSERT`` that keeps each event's own ``created_at``."""
    concrete = {field.name: field for field in ExecutionEvent._meta.concrete_fields}
    fields = [concrete[name] for name in ("execution", "seq", "type", "payload", "created_at")]
    params: list[Any] = []
    for event in events:
        params += [
            field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields
        ]
    row = f"({', '.join(['%s'] * len(fields))})"
    columns = ", ".join(field.column for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(ExecutionEvent)} ({columns}) "  # noqa: S608 - the models' own names
            f"VALUES {', '.join([row] * len(events))} RETURNING id",
            params,
        )
        ids = [id_ for (id_,) in cursor.fetchall()]
    for event, id_ in zip(events, ids, strict=True):
        event.id = id_
        event._state.adding, event._state.db = False, connection.alias  # noqa: SLF001 - loaded rows


def _update_sql(change: RowChange) -> tuple[str, list[Any]]:
    """The SQL and parameters of ``change.queryset.update(**change.values)``."""
    query = change.queryset.query.chain(UpdateQuery)
    query.add_update_values(change.values)
    compiler = query.get_compiler(connection=connection)
    compiler.pre_sql_setup()
    sql, params = compiler.as_sql()
    return sql, list(params)


def _next_seq(execution_id, count: int = 1) -> int:
    """Reserve ``count`` seqs of the execution; the last of them."""
    pk = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    return _returned(_seq_sql(count), [pk], execution_id)[0]


def _seq_sql(count: int = 1) -> str:
    table = _table(Execution)
    return f"UPDATE {table} SET last_seq = last_seq + {int(count)} WHERE id = %s RETURNING last_seq"  # noqa: S608 - the model's own table and a number


def _returned(sql: str, params: list[Any], execution_id) -> tuple:
    """The row a writing statement returned; DoesNotExist when the execution is gone."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Execution.DoesNotExist(f"Execution {execution_id} does not exist.")
    return row


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
