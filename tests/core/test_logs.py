"""LOG_FORMAT=json: one JSON object a line with request, user, execution and step ids, secrets
masked; request ids taken from X-Request-ID or made, and echoed."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
import uuid

import pytest

from apps.core.log_context import (
    LogContextFilter,
    current_run,
    run_logging,
    run_step_entered,
    run_step_left,
)
from apps.core.log_format import PortalJsonFormatter
from apps.core.log_masking import RunSecretsFilter, masking_logs
from apps.executions.engine.masking import MASK, Masker
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook
from tests.fixtures.processes import REPOSITORY
from tests.security.leaks import SECRET, leaks_in


def process_environment_without_db() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "toolkit_project.settings.test"}


@pytest.fixture
def json_lines():
    """The JSON lines the root logger writes during the test, configured as in settings."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RunSecretsFilter())
    handler.addFilter(LogContextFilter())
    handler.setFormatter(PortalJsonFormatter())
    logging.getLogger().addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


@pytest.mark.django_db
def test_the_callers_request_id_is_echoed(client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="lb-7f3a:42")

    assert response["X-Request-ID"] == "lb-7f3a:42"


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "two words", "x\nforged line", "é", "a" * 129])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, given):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=given)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_a_request_line_carries_its_request_id_and_user(client, operator, json_lines):
    client.force_login(operator)

    response = client.get(f"/executions/{uuid.uuid4()}/", HTTP_X_REQUEST_ID="req-1")

    assert response.status_code == 404
    line = next(line for line in json_lines() if line["logger"] == "django.request")
    assert line["request_id"] == "req-1"
    assert line["user"] == operator.username
    assert line["level"] == "WARNING"
    assert line["message"].startswith("Not Found: /executions/")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["timestamp"])
    assert (line["execution_id"], line["step_id"]) == ("", "")


def test_secrets_of_a_running_run_are_masked_in_json_lines(json_lines):
    masker = Masker()
    masker.add(SECRET, username="admin")
    logger = logging.getLogger("apps.test.masking")

    with masking_logs(masker):
        try:
            raise ValueError(f"login refused for {SECRET}")
        except ValueError:
            logger.exception("calling with %s", SECRET, extra={"detail": {"password": SECRET}})
        logger.warning({"token": SECRET})

    lines = json_lines()
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    assert leaks_in(text, "json") == []
    assert lines[0]["message"] == f"calling with {MASK}"
    assert lines[0]["detail"] == {"password": MASK}
    assert MASK in lines[0]["exc_info"]


def test_the_setting_turns_json_on_for_the_web_processes():
    script = "import django, logging; django.setup(); logging.getLogger('probe').warning('hi')"
    env = {**process_environment_without_db(), "LOG_FORMAT": "json"}

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY, env=env, capture_output=True, text=True
    )

    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert (line["logger"], line["message"], line["request_id"]) == ("probe", "hi", "")


def test_an_unknown_log_format_stops_the_start():
    env = {**process_environment_without_db(), "LOG_FORMAT": "xml"}

    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 1
    assert "ImproperlyConfigured: LOG_FORMAT is 'xml'" in done.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_writes_json_lines_carrying_the_run_and_its_step(
    team, operator, celery_workers, tmp_path
):
    log_file = tmp_path / "worker.log"
    celery_workers(env={"LOG_FORMAT": "json"}, loglevel="INFO", log_file=log_file)
    book = playbook(
        team,
        """
        - id: greet
          name: Greet
          type: utility.log
          parameters: {message: hello from the run}
    """,
    )

    execution = execution_start(book, actor=operator)
    deadline = time.monotonic() + 60
    while not Execution.objects.get(pk=execution.pk).is_finished:
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.05)

    lines = [json.loads(line) for line in log_file.read_text().splitlines() if line[:1] == "{"]
    run_lines = [line for line in lines if line["logger"].startswith("apps.executions")]
    greeting = next(line for line in run_lines if "hello from the run" in line["message"])
    assert greeting["execution_id"] == str(execution.pk)
    assert greeting["step_id"] == "greet"
    assert {line["execution_id"] for line in run_lines} == {str(execution.pk)}


def test_the_current_step_follows_nesting_and_other_threads_see_the_one_run():
    seen = []

    def from_another_thread():
        run = current_run()
        seen.append((run.execution_id, run.step_id))

    with run_logging("run-1") as run:
        run_step_entered("run-1", "0", "parent")
        run_step_entered("run-1", "0.0", "child")
        run_step_entered("run-1", "0.0", "child")  # a retry: still one level
        inner = run.step_id
        thread = threading.Thread(target=from_another_thread)
        thread.start()
        thread.join()
        run_step_left("run-1", "0.0")
        outer = run.step_id
        run_step_left("run-1", "0")

        assert (inner, outer, run.step_id) == ("child", "parent", "")
    assert seen == [("run-1", "child")]
    assert current_run() is None
