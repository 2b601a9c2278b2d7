"""The history's pages and APIs ask the database the same number of questions, however long
the history: a page of runs, its step progress and the counts by status; a run's events."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.executions.models import Execution, ExecutionEvent, ExecutionStatus
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook as make_playbook

pytestmark = pytest.mark.django_db

STEPS = """
    - id: hello
      name: Say hello
      type: utility.log
      parameters: {message: hello}
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 1}
"""
# The session, the user, the user's roles, the counts by status, the page, its runs' step
# progress, and the three filters' choices (playbooks, gateways, who started runs).
LIST_PAGE_QUERIES = 9
# The count and the page (the user's roles are cached by then).
LIST_API_QUERIES = 2
# The run (scoped to the user's teams) and its events after ``?after=``.
EVENTS_API_QUERIES = 2


def runs(team, actor, count: int, *, status=ExecutionStatus.COMPLETED, events=3) -> list:
    book = make_playbook(team, STEPS)
    started = [execution_start(book, actor=actor) for _ in range(count)]
    Execution.objects.filter(pk__in=[run.pk for run in started]).update(status=status)
    for run in started:
        run.steps.filter(step_id="hello").update(status="completed")
        first = run.last_seq + 1
        ExecutionEvent.objects.bulk_create(
            ExecutionEvent(execution=run, seq=seq, type="log", payload={"message": "x"})
            for seq in range(first, first + events)
        )
        Execution.objects.filter(pk=run.pk).update(last_seq=first + events - 1)
    return started


def test_history_page_queries_do_not_grow_with_the_history(
    client, team, operator, django_assert_num_queries
):
    runs(team, operator, 2)
    client.force_login(operator)
    url = reverse("executions:list")
    client.get(url)
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        small = client.get(url)

    runs(team, operator, 40)
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        first = client.get(url)
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        second = client.get(url, {"page": 2, "status": "completed"})

    assert len(small.context["page"]) == 2
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 17
    assert all(
        (run.steps_done, run.steps_total) == (1, 2)
        for page in (first, second)
        for run in page.context["page"]
    )


def test_history_pages_count_the_runs_of_the_chosen_status(client, team, operator):
    runs(team, operator, 27, status=ExecutionStatus.FAILED, events=0)
    runs(team, operator, 3, events=0)
    client.force_login(operator)
    url = reverse("executions:list")

    failed = client.get(url, {"status": "failed", "page": 2})
    everything = client.get(url, {"page": 2})
    beyond = client.get(url, {"status": "running"})

    assert len(failed.context["page"]) == 2
    assert "Page 2 of 2" in failed.content.decode()
    assert len(everything.context["page"]) == 5
    assert everything.context["total_count"] == "30"
    assert len(beyond.context["page"]) == 0


def test_api_list_and_events_queries_do_not_grow_with_the_history(
    team, operator, django_assert_num_queries
):
    api = APIClient()
    api.force_authenticate(operator)
    (run,) = runs(team, operator, 1, events=2)
    api.get("/api/v1/executions/")
    with django_assert_num_queries(LIST_API_QUERIES):
        api.get("/api/v1/executions/")
    with django_assert_num_queries(EVENTS_API_QUERIES):
        few = api.get(f"/api/v1/executions/{run.pk}/events/?after=0")

    (longer,) = runs(team, operator, 1, events=300)
    runs(team, operator, 60, events=1)
    with django_assert_num_queries(LIST_API_QUERIES):
        listed = api.get("/api/v1/executions/")
    with django_assert_num_queries(EVENTS_API_QUERIES):
        many = api.get(f"/api/v1/executions/{longer.pk}/events/?after=1")

    assert len(few.json()) == 3  # the launch's "queued" event and the two written here
    assert listed.json()["count"] == 62
    assert len(listed.json()["results"]) == 50
    assert [event["seq"] for event in many.json()] == list(range(2, 302))


@pytest.mark.parametrize("limit", [3])
def test_counts_by_status_stop_at_the_limit_and_say_so(client, team, operator, settings, limit):
    settings.HISTORY_COUNT_LIMIT = limit
    runs(team, operator, 5, status=ExecutionStatus.FAILED, events=0)
    runs(team, operator, 2, events=0)
    client.force_login(operator)
    url = reverse("executions:list")

    page = client.get(url)
    failed = client.get(url, {"status": "failed"})

    counts = {value: count for value, _, count in page.context["status_counts"]}
    assert counts["failed"] == "3+"
    assert counts["completed"] == "2"
    assert page.context["total_count"] == "3+"  # the sum stops at the limit too
    assert '<span class="count">3+</span>' in page.content.decode()
    assert len(failed.context["page"]) == 3  # no more runs than the bounded count says


def test_the_history_page_counts_every_status_in_one_query(
    client, team, operator, django_assert_num_queries
):
    runs(team, operator, 3, status=ExecutionStatus.FAILED, events=0)
    client.force_login(operator)
    url = reverse("executions:list")
    client.get(url)

    with django_assert_num_queries(LIST_PAGE_QUERIES) as captured:
        client.get(url)

    counting = [q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"].upper()]
    by_status = [sql for sql in counting if sql.upper().startswith("SELECT (SELECT COUNT(*)")]
    assert len(by_status) == 1
    assert len(re.findall(r"LIMIT \d+", by_status[0])) == len(ExecutionStatus.choices)
