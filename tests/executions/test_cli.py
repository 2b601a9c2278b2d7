"""run_playbook, list_executions and cancel_execution: output, exit codes, refusals."""

import io
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper
from django.db import connection
from django.utils import timezone

from apps.executions import cli
from apps.executions.models import Execution, ExecutionEvent
from apps.executions.services.launch import execution_start
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.fixtures import processes
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory

LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
pytestmark = pytest.mark.django_db

PARAMETERS = """
    - {name: login, type: credential, required: false}
    - {name: attempts, type: integer, default: 1}
"""
TWO_LOGS = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: "hello {{ parameter.attempts }}"}
    - {id: bye, name: Bye, type: utility.log, parameters: {message: bye}}
"""
ONE_LOG = """
    - {id: hello, name: Hello, type: utility.log, parameters: {message: hello}}
"""


def command(name: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(name: str, *args: str) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        command(name, *args)
    return excinfo.value


def outcome(error: CommandError) -> tuple[str, int]:
    return str(error), error.returncode


@pytest.fixture
def book(team):
    return playbook(team, TWO_LOGS, parameters=PARAMETERS, path="gateway/hello.yaml")


def test_run_playbook_queues_a_typed_run_with_gateway_and_credential(book, team, operator):
    gateway = GatewayFactory(team=team, name="line1")
    CredentialFactory(team=team, name="line1-admin")

    out, _ = command(
        "run_playbook", "./playbooks/gateway/hello.yaml", "--param", "attempts=3",
        "--gateway", "line1", "--credential", "line1-admin", "--debug", "--user", operator.username,
    )  # fmt: skip

    execution = Execution.objects.get()
    assert out == (
        f"Execution {execution.pk} queued: Engine test (gateway/hello.yaml r1, team Line 1), "
        "2 step(s).\n"
    )
    assert execution.parameters == {"login": "line1-admin", "attempts": 3}
    assert (execution.gateway, execution.requested_by, execution.debug) == (gateway, operator, True)


def test_the_default_user_is_the_first_superuser(book):
    first = UserFactory(username="root", is_superuser=True)
    UserFactory(username="root2", is_superuser=True)

    command("run_playbook", "gateway/hello.yaml")

    assert Execution.objects.get().requested_by == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gateway/nope.yaml"], "No playbook at 'gateway/nope.yaml' that oscar-operator can see."),
        (["gateway/hello.yaml", "--param", "oops"], "--param 'oops' must look like NAME=VALUE."),
        (["gateway/hello.yaml", "-p", "=1"], "--param '=1' must look like NAME=VALUE."),
        (["gateway/hello.yaml", "-p", "a=1", "-p", "a=2"], "--param 'a' is given twice."),
        (["gateway/hello.yaml", "--gateway", "gw9"], "No gateway named 'gw9' in team 'Line 1'."),
        (
            ["gateway/hello.yaml", "--credential", "nope"],
            "Credential 'nope' not found in the vault of Line 1.",
        ),
        (
            ["gateway/hello.yaml", "-p", "attempts=many", "-p", "colour=red"],
            "Invalid parameters: unknown parameter 'colour'; 'attempts' must be a whole number, "
            "not 'many'",
        ),
        (
            ["gateway/hello.yaml", "--team", "Line 2"],
            "No playbook at 'gateway/hello.yaml' in team 'Line 2' that oscar-operator can see.",
        ),
    ],
)
def test_bad_input_exits_2_and_creates_nothing(book, operator, args, message):
    error = refused("run_playbook", *args, "--user", operator.username)

    assert outcome(error) == (message, 2)
    assert Execution.objects.count() == 0


def test_credential_must_have_one_unset_credential_parameter(team, operator):
    CredentialFactory(team=team, name="cred")
    playbook(team, ONE_LOG, path="gateway/none.yaml")
    playbook(team, ONE_LOG, path="gateway/two.yaml", parameters="""
        - {name: source, type: credential, required: false}
        - {name: target, type: credential, required: false}
    """)  # fmt: skip
    user = ["--user", operator.username, "--credential", "cred"]

    none = refused("run_playbook", "gateway/none.yaml", *user)
    both = refused("run_playbook", "gateway/two.yaml", *user)
    command("run_playbook", "gateway/two.yaml", *user, "-p", "source=cred")

    assert str(none) == "Playbook 'gateway/none.yaml' has no credential parameter for --credential."
    assert str(both) == (
        "--credential is ambiguous: playbook 'gateway/two.yaml' has credential parameters "
        "'source', 'target' and 2 of them unset; set them with --param NAME=CREDENTIAL."
    )
    assert Execution.objects.get().parameters == {"source": "cred", "target": "cred"}


def test_a_path_in_several_teams_needs_team(book, other_team, admin_user):
    PlaybookFactory(team=other_team, path="gateway/hello.yaml")
    args = ["run_playbook", "gateway/hello.yaml", "--user", admin_user.username]

    error = refused(*args)
    command(*args, "--team", "Line 2")

    assert str(error) == (
        "Playbook 'gateway/hello.yaml' exists in several teams (Line 1, Line 2): "
        "choose one with --team."
    )
    assert Execution.objects.get().team == other_team


def test_users_are_named_and_their_access_applies(book, viewer, outsider):
    assert str(refused("run_playbook", "gateway/hello.yaml")) == (
        "No superuser exists: pass --user USERNAME."
    )
    assert str(refused("run_playbook", "gateway/hello.yaml", "--user", "ghost")) == (
        "No user named 'ghost'."
    )
    denied = refused("run_playbook", "gateway/hello.yaml", "--user", viewer.username)
    hidden = refused("run_playbook", "gateway/hello.yaml", "--user", outsider.username)
    assert outcome(denied) == ("Running playbooks needs the operator role.", 2)
    assert str(hidden) == "No playbook at 'gateway/hello.yaml' that otto-outsider can see."
    assert Execution.objects.count() == 0


def test_list_executions_shows_a_table_filtered_and_limited(book, team, operator, outsider):
    GatewayFactory(team=team, name="line1")
    first = execution_start(book, actor=operator)
    second = execution_start(book, actor=operator, gateway=team.gateways.get())
    start = timezone.now() - timedelta(seconds=75)
    Execution.objects.filter(pk=first.pk).update(
        status="completed", started_at=start, finished_at=start + timedelta(seconds=65.4)
    )
    queued = timezone.localtime(second.queued_at).strftime("%Y-%m-%d %H:%M:%S")
    done = timezone.localtime(first.queued_at).strftime("%Y-%m-%d %H:%M:%S")
    user = ["--user", operator.username]

    everything, _ = command("list_executions", *user)
    limited, _ = command("list_executions", *user, "--status", "queued", "--limit", "1")
    nothing, _ = command("list_executions", "--user", outsider.username)

    assert everything.splitlines() == [
        f"{'ID':<36}  PLAYBOOK     STATUS     REQUESTED BY    GATEWAY  {'QUEUED':<19}  DURATION",
        f"{'-' * 36}  {'-' * 11}  ---------  --------------  -------  {'-' * 19}  {'-' * 10}",
        f"{second.pk}  Engine test  queued     oscar-operator  line1    {queued}  -",
        f"{first.pk}  Engine test  completed  oscar-operator  -        {done}  1 min 05 s",
    ]
    assert limited.splitlines()[2:] == [
        f"{second.pk}  Engine test  queued  oscar-operator  line1    {queued}  -"
    ]
    assert nothing == "No executions.\n"


def test_list_executions_rejects_bad_options():
    status = refused("list_executions", "--status", "bogus")
    limit = refused("list_executions", "--limit", "0")
    words = refused("list_executions", "--limit", "ten")

    assert str(status).startswith("Error: argument --status: invalid choice: 'bogus'")
    assert str(limit) == "Error: argument --limit: must be a whole number of at least 1, not '0'"
    assert str(words) == "Error: argument --limit: must be a whole number of at least 1, not 'ten'"


def test_cancel_execution_cancels_a_queued_run_and_refuses_others(book, operator, outsider, viewer):
    execution = execution_start(book, actor=operator)
    user = ["--user", operator.username]

    out, _ = command("cancel_execution", str(execution.pk), *user)
    again = refused("cancel_execution", str(execution.pk), *user)
    unknown = refused("cancel_execution", "not-a-uuid", *user)
    hidden = refused("cancel_execution", str(execution.pk), "--user", outsider.username)
    denied = refused("cancel_execution", str(execution.pk), "--user", viewer.username)

    execution.refresh_from_db()
    assert out == f"Execution {execution.pk} cancelled before it started.\n"
    assert (execution.status, execution.finished_by) == ("cancelled", operator)
    assert outcome(again) == ("Cannot cancel: the run already ended (cancelled).", 1)
    assert outcome(unknown) == ("Execution not-a-uuid does not exist or is not yours.", 2)
    assert str(hidden) == f"Execution {execution.pk} does not exist or is not yours."
    assert outcome(denied) == ("Controlling runs needs the operator role.", 2)


def test_interrupting_follow_leaves_the_run_going(book, operator, monkeypatch):
    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.RunFollower, "follow", interrupted)

    error = refused("run_playbook", "gateway/hello.yaml", "--follow", "--user", operator.username)

    execution = Execution.objects.get()
    assert outcome(error) == (
        f"Stopped following; the run goes on. Cancel it with: manage.py cancel_execution "
        f"{execution.pk}",
        130,
    )
    assert execution.status == "queued"


def test_follower_lines_for_pauses_controls_and_long_errors(book, operator):
    execution = execution_start(book, actor=operator)
    out = io.StringIO()
    follower = cli.RunFollower(execution, OutputWrapper(out))
    events = [
        ("execution.status", {"status": "paused", "reason": "Debug: paused after step 'hello'."}),
        ("execution.status", {"status": "paused", "reason": ""}),
        ("control", {"command": "resume", "by": "oscar-operator"}),
        ("execution.status", {"status": "running", "reason": ""}),
        ("variables", {"variables": {}}),
        ("execution.finished", {"status": "completed", "reason": "", "by": None}),
    ]

    ends = [follower.show(ExecutionEvent(type=kind, payload=data)) for kind, data in events]

    assert ends == [False, False, False, False, False, True]
    assert out.getvalue().splitlines() == [
        "Paused: Debug: paused after step 'hello'.",
        "Paused: by request.",
        "  control: resume by oscar-operator",
        "Resumed.",
        "Run completed",
    ]
    assert cli.first_line("x" * 70 + "\nmore") == "x" * 57 + "..."
    assert cli.format_duration(3600.5) == "60 min 00 s"


# End to end with a real worker --------------------------------------------------------------
DURATION = r"\d+\.\d\d s"


def assert_table(lines: list[str], expected: list[list[str]]) -> None:
    """Compare a steps table cell by cell; ``DURATION`` cells match any duration."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines]
    assert rows[0] == ["STEP", "ID", "TYPE", "STATUS", "TRIES", "DURATION", "ERROR"]
    assert len(rows) == len(expected) + 2
    for row, wanted in zip(rows[2:], expected, strict=True):
        assert row[:5] + row[6:] == wanted[:5] + wanted[6:]
        assert re.fullmatch(wanted[5], row[5]), row


@LIVE
def test_follow_prints_progress_and_a_table_and_exits_0(book, operator, celery_worker_running):
    out, _ = command("run_playbook", "gateway/hello.yaml", "--follow", "--user", "oscar-operator")

    execution = Execution.objects.get()
    lines = out.splitlines()
    assert lines[:9] == [
        f"Execution {execution.pk} queued: Engine test (gateway/hello.yaml r1, team Line 1), "
        "2 step(s).",
        f"Running on {execution.worker_hostname}.",
        "[--------------------] 0/2 running   0 hello",
        "  log info: hello 1",
        "[##########----------] 1/2 completed 0 hello",
        "[##########----------] 1/2 running   1 bye",
        "  log info: bye",
        "[####################] 2/2 completed 1 bye",
        "Run completed",
    ]
    assert_table(
        lines[9:],
        [
            ["0", "hello", "utility.log", "completed", "1", DURATION],
            ["1", "bye", "utility.log", "completed", "1", DURATION],
        ],
    )


@LIVE
def test_follow_exits_1_when_a_step_fails_after_retries(team, operator, celery_worker_running):
    playbook(team, """
        - {id: slow, name: Slow, type: utility.sleep, timeout: 0.2, retry_count: 1, retry_delay: 0,
           parameters: {seconds: 5}}
        - {id: never, name: Never, type: utility.log, parameters: {message: never}}
    """, path="gateway/slow.yaml")  # fmt: skip

    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("run_playbook", "gateway/slow.yaml", "--follow", "--user", "oscar-operator",
                     stdout=out)  # fmt: skip

    execution = Execution.objects.get()
    lines = out.getvalue().splitlines()
    assert outcome(excinfo.value) == (f"Execution {execution.pk} ended failed.", 1)
    assert lines[2:7] == [
        "[--------------------] 0/2 running   0 slow",
        "  log warning: Attempt 1 failed: Step timed out after 0.2 seconds. Retrying in 0 s.",
        "[--------------------] 0/2 running   0 slow (attempt 2)",
        "[##########----------] 1/2 failed    0 slow: Step timed out after 0.2 seconds",
        "Run failed: Step 'slow' failed: Step timed out after 0.2 seconds",
    ]
    assert_table(
        lines[7:],
        [
            ["0", "slow", "utility.sleep", "failed", "2", DURATION,
             "Step timed out after 0.2 seconds"],
            ["1", "never", "utility.log", "pending", "0", "-"],
        ],
    )  # fmt: skip


@LIVE
def test_cancel_execution_stops_a_followed_run_mid_step(team, operator, celery_worker_running):
    playbook(team, """
        - {id: nap, name: Nap, type: utility.sleep, parameters: {seconds: 60}}
    """, path="gateway/nap.yaml")  # fmt: skip
    cancelled: dict = {}

    def cancel_when_running() -> None:
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "out" not in cancelled:
                execution = Execution.objects.filter(steps__status="running").first()
                if execution is not None:
                    cancelled["out"] = command(
                        "cancel_execution", str(execution.pk), "--user", "oscar-operator"
                    )[0]
                time.sleep(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=cancel_when_running)
    thread.start()
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("run_playbook", "gateway/nap.yaml", "--follow", "--user", "oscar-operator",
                     stdout=out)  # fmt: skip
    thread.join()

    execution = Execution.objects.get()
    assert cancelled["out"] == (
        f"Cancel requested for execution {execution.pk} (running); it stops within half a second.\n"
    )
    assert out.getvalue().splitlines()[2:5] == [
        "[--------------------] 0/1 running   0 nap",
        "  control: cancel by oscar-operator",
        "[####################] 1/1 cancelled 0 nap",
    ]
    assert outcome(excinfo.value) == (f"Execution {execution.pk} ended cancelled.", 1)
    assert execution.status_reason == "Cancelled by oscar-operator."


@LIVE
def test_the_real_command_line_exits_2_with_the_message(book, operator):
    result = subprocess.run(
        [sys.executable, "manage.py", "run_playbook", "gateway/hello.yaml", "-p", "oops",
         "--user", operator.username],
        env=processes.test_process_environment(), cwd=processes.REPOSITORY,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "CommandError: --param 'oops' must look like NAME=VALUE.\n"
    assert Execution.objects.count() == 0
