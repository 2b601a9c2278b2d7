"""A large history: 100,000 runs and 5 million events; list pages, a run page, the events API."""

import logging
import time
from contextlib import contextmanager

from django.db import connection, connections, transaction
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import Membership, User
from apps.executions.models import Execution, ExecutionEvent, StepRun
from bench.measure import percentiles, warm_query_count
from bench.runs import bench_actor, bench_playbook, verdict

RUNS, EVENTS_PER_RUN, STEPS_PER_RUN = 100_000, 50, 5
SMALL_RUNS = 30
REPEAT = 40
TARGET_P95_MS = 50
# The table names come from the models; the rest goes as parameters.
FILL_SQL = """
CREATE TEMP TABLE new_runs ON COMMIT DROP AS
SELECT gen_random_uuid() AS id,
       now() - (random() * interval '100 days') AS queued_at,
       (ARRAY['completed','completed','completed','failed','cancelled'])
           [1 + (n %% 5)] AS status
FROM generate_series(1, %(runs)s) AS n;
INSERT INTO {execution} (
    id, team_id, playbook_id, playbook_version_id, playbook_name, parameters,
    secret_parameters, status, status_reason, debug, requested_by_id, queued_at,
    started_at, finished_at, worker_hostname, celery_task_id, dispatched_at,
    timeout_seconds, variables, cancel_requested, pause_requested,
    last_seq)
SELECT id, %(team)s, %(playbook)s, %(version)s, 'Bench history', '{{}}', '', status,
       '', false, %(user)s, queued_at, queued_at + interval '30 ms',
       queued_at + interval '2 s', 'bench', '', queued_at, 3600, '{{}}', false, false,
       %(events)s
FROM new_runs;
INSERT INTO {step} (
    execution_id, path, position, step_id, name, type, status, attempts, outputs,
    error, started_at, finished_at)
SELECT r.id, p::text, p, 's' || p, 'Step ' || p, 'utility.log', 'completed', 1,
       '{{}}', '', r.queued_at + interval '40 ms', r.queued_at + interval '1 s'
FROM new_runs r CROSS JOIN generate_series(0, %(steps)s - 1) AS p;
INSERT INTO {event} (execution_id, seq, type, payload, created_at)
SELECT r.id, s,
       CASE WHEN s %% 3 = 0 THEN 'log' ELSE 'step.status' END,
       '{{"message": "a line of the run", "level": "info"}}'::jsonb,
       r.queued_at + s * interval '20 ms'
FROM new_runs r CROSS JOIN generate_series(1, %(events)s) AS s;
"""
STEPS = "".join(
    f"  - id: s{n}\n    name: Step {n}\n    type: utility.log\n    parameters: {{message: 'x'}}\n"
    for n in range(STEPS_PER_RUN)
)


def run() -> None:
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per signed-in test client
    with history_database() as name:
        print(f"  a database of its own ({name}), filled with PostgreSQL's generate_series")
        user, team = bench_actor()
        playbook = bench_playbook("Bench history", STEPS)
        viewer = User.objects.create_user("bench-history-viewer", password=None)
        Membership.objects.create(user=viewer, team=team)
        fill(team, playbook, user, SMALL_RUNS)
        small = {name: warm_query_count(call) for name, call in requests(viewer).items()}
        started = time.perf_counter()
        fill(team, playbook, user, RUNS - SMALL_RUNS)
        print(
            f"  filled {Execution.objects.count():,} runs, {RUNS * STEPS_PER_RUN:,} step rows "
            f"and {RUNS * EVENTS_PER_RUN:,} events in {time.perf_counter() - started:.0f} s "
            "(with VACUUM ANALYZE)",
            flush=True,
        )
        for name, call in requests(viewer).items():
            large = warm_query_count(call)
            p95 = percentiles(call, repeat=REPEAT, warmup=3)["p95"]
            constant = "constant" if large == small[name] else "GROWS"
            print(
                f"  {name:<46} p95 {p95:7.1f} ms ({verdict(p95, TARGET_P95_MS)}); queries "
                f"{small[name]} with {SMALL_RUNS} runs, {large} with {RUNS:,} ({constant})",
                flush=True,
            )


def requests(viewer: User) -> dict:
    """The pages and API calls measured, as a team member (not an admin) makes them."""
    page, api = Client(), APIClient()
    page.force_login(viewer)
    api.force_authenticate(viewer)
    newest = Execution.objects.order_by("-queued_at").values_list("pk", flat=True).first()
    middle = Execution.objects.order_by("queued_at").values_list("pk", flat=True)[
        Execution.objects.count() // 2
    ]

    def get(client, url):
        def call():
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code)  # noqa: S101

        return call

    return {
        "executions list page (first page)": get(page, "/executions/"),
        "executions list page (failed, page 3)": get(page, "/executions/?status=failed&page=3"),
        "GET /api/v1/executions/": get(api, "/api/v1/executions/"),
        "run page (50 events)": get(page, f"/executions/{middle}/"),
        "GET /api/v1/executions/<id>/": get(api, f"/api/v1/executions/{newest}/"),
        "GET /api/v1/executions/<id>/events/?after=10": get(
            api, f"/api/v1/executions/{middle}/events/?after=10"
        ),
    }


def fill(team, playbook, user, runs: int, *, analyze: bool = True) -> None:
    """``runs`` finished runs over the last 100 days, each with its steps and events; then
    ``VACUUM ANALYZE`` unless ``analyze`` is false (it cannot run inside a transaction)."""
    tables = {
        "execution": Execution._meta.db_table,
        "step": StepRun._meta.db_table,
        "event": ExecutionEvent._meta.db_table,
    }
    parameters = {
        "runs": runs,
        "team": team.pk,
        "playbook": playbook.pk,
        "version": playbook.versions.order_by("-pk").first().pk,
        "user": user.pk,
        "events": EVENTS_PER_RUN,
        "steps": STEPS_PER_RUN,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows made consistent by construction: no foreign-key trigger per row (a throwaway
        # database; the superuser the bench connects as may do this for its session).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        indexes = _drop_secondary_indexes(cursor, tables["event"])
        for statement in FILL_SQL.format(**tables).split(";")[:-1]:
            cursor.execute(statement, parameters)
        for definition in indexes:
            cursor.execute(definition)
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _drop_secondary_indexes(cursor, table: str) -> list[str]:
    """Drop ``table``'s indexes but its primary key; the statements that build them again.
    Building an index once over millions of rows is much faster than growing it row by row."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    quoted = connection.ops.quote_name(table)
    for name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [
        *(
            f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            for name, definition in constraints
        ),
        *(definition for _name, definition in indexes),
    ]


@contextmanager
def history_database():
    """A copy of the bench database (its schema and users), dropped afterwards, so the other
    benchmarks never run on the large history."""
    settings = connection.settings_dict
    bench_name = settings["NAME"]
    name = f"{bench_name}_history"
    connections.close_all()
    with _maintenance() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{bench_name}"')
    settings["NAME"] = name
    with connection.cursor() as cursor:  # no write-ahead log for the millions of events
        cursor.execute(f"ALTER TABLE {ExecutionEvent._meta.db_table} SET UNLOGGED")
    try:
        yield name
    finally:
        connections.close_all()
        settings["NAME"] = bench_name
        with _maintenance() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def _maintenance():
    with connection._nodb_cursor() as cursor:
        yield cursor
