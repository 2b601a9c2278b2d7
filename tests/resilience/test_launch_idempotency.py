"""A launch repeated with the same Idempotency-Key answers with the first run, once a day."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from apps.executions.models import Execution, LaunchKey
from apps.executions.services.launch import execution_start
from apps.executions.services.launch_keys import execution_start_once
from apps.executions.tasks import prune_launch_keys
from tests.accounts.factories import UserFactory
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db

URL = "/api/v1/executions/"


@pytest.fixture
def book(team):
    return playbook(team, HELLO_STEP)


def client_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def launch(api, body, key="launch-1"):
    return api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_repeat_with_the_same_key_answers_with_the_first_run(operator, book):
    api = client_of(operator)

    first = launch(api, {"playbook": book.pk, "debug": True})
    second = launch(api, {"playbook": book.pk, "debug": True})

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Execution.objects.get().pk == LaunchKey.objects.get().execution_id


@override_settings(LAUNCH_RATE_LIMIT="1/minute")
def test_a_replay_does_not_count_as_a_launch(operator, book):
    """A client retrying a launch it is unsure about must get its run, not a 429."""
    api = client_of(operator)

    first = launch(api, {"playbook": book.pk})
    replays = [launch(api, {"playbook": book.pk}) for _ in range(3)]
    another = launch(api, {"playbook": book.pk}, key="launch-2")

    assert [r.status_code for r in [first, *replays]] == [201, 201, 201, 201]
    assert {r.json()["id"] for r in replays} == {first.json()["id"]}
    assert another.status_code == 429


def test_the_same_key_with_a_different_body_answers_422_naming_the_fields(operator, book):
    api = client_of(operator)
    launch(api, {"playbook": book.pk})

    response = launch(api, {"playbook": book.pk, "debug": True, "timeout_seconds": 60})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "This Idempotency-Key was used in the last 24 h for a launch with a different "
        "debug, timeout_seconds; repeat that request unchanged to get its run, or send a new "
        "key to start another run.",
        "fields": ["debug", "timeout_seconds"],
    }
    assert Execution.objects.count() == 1


def test_keys_belong_to_their_user(team, operator, book):
    teammate = UserFactory(username="olga-operator", roles=["operator"], teams=[team])

    first = launch(client_of(operator), {"playbook": book.pk})
    second = launch(client_of(teammate), {"playbook": book.pk})

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert Execution.objects.count() == 2


def test_a_key_older_than_24_hours_starts_a_new_run(operator, book):
    api = client_of(operator)
    first = launch(api, {"playbook": book.pk})
    LaunchKey.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))

    second = launch(api, {"playbook": book.pk, "debug": True})

    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in second.headers
    assert LaunchKey.objects.get().execution_id == Execution.objects.get(debug=True).pk


def test_launches_without_a_key_are_never_merged(operator, book):
    api = client_of(operator)

    api.post(URL, {"playbook": book.pk}, format="json")
    api.post(URL, {"playbook": book.pk}, format="json")

    assert Execution.objects.count() == 2
    assert LaunchKey.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "key", "length"),
    [("empty", "", 0), ("too long", "k" * 201, 201), ("control character", "a\x01b", 3)],
)
def test_a_bad_key_answers_400_and_starts_nothing(operator, book, _case, key, length):
    response = launch(client_of(operator), {"playbook": book.pk}, key=key)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The Idempotency-Key header must be 1 to 200 printable ASCII characters "
        f"(it has {length}); send a unique value per launch, such as a UUID."
    }
    assert Execution.objects.count() == 0


def test_a_refused_launch_keeps_no_key(viewer, book):
    response = launch(client_of(viewer), {"playbook": book.pk})

    assert response.status_code == 403
    assert (Execution.objects.count(), LaunchKey.objects.count()) == (0, 0)


def test_expired_keys_are_pruned(operator, book):
    api = client_of(operator)
    launch(api, {"playbook": book.pk}, key="old")
    launch(api, {"playbook": book.pk}, key="new")
    LaunchKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    prune_launch_keys()

    assert list(LaunchKey.objects.values_list("key", flat=True)) == ["new"]
    assert Execution.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_concurrent_launch_with_the_same_key_answers_with_the_run_that_won(operator, book):
    winner = execution_start(book, actor=operator)

    def start_while_another_request_commits_the_key():
        # Another request (another connection) commits the same key first.
        thread = threading.Thread(target=_commit_key, args=(operator, winner))
        thread.start()
        thread.join()
        return execution_start(book, actor=operator)

    execution, created = execution_start_once(
        operator, key="launch-1", fingerprint={}, start=start_while_another_request_commits_the_key
    )

    assert (execution.pk, created) == (winner.pk, False)
    assert list(Execution.objects.values_list("pk", flat=True)) == [winner.pk]


def _commit_key(user, execution) -> None:
    try:
        LaunchKey.objects.create(user=user, key="launch-1", fingerprint={}, execution=execution)
    finally:
        connection.close()
