"""``run_playbook`` for batches: by tag or repeated --gateway, a line per gateway as runs end,
the exit code of the whole batch and its JUnit file."""

import io
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.executions.models import Batch, Execution
from tests.batches.helpers import batch_playbook, tagged_gateways

LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
pytestmark = pytest.mark.django_db
LINE = re.compile(r"^(gw-[a-z-]+): (\w+) \(([^)]*)\)(: .*)?$")


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("run_playbook", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> tuple[str, int]:
    with pytest.raises(CommandError) as excinfo:
        command(*args)
    return str(excinfo.value), excinfo.value.returncode


@pytest.fixture
def book(team):
    return batch_playbook(team, path="gateway/fleet.yaml")


def test_a_tag_queues_a_batch_with_its_limit(book, team, operator):
    tagged_gateways(team, {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"})

    out = command(
        "gateway/fleet.yaml", "--gateway-tag", "plant-a", "--concurrency", "1",
        "--stop-on-failure", "--user", operator.username,
    )  # fmt: skip

    batch = Batch.objects.get()
    assert out == (
        f"Batch {batch.pk} queued: Fleet check (gateway/fleet.yaml, team Line 1) on 2 "
        "gateway(s), at most 1 at once.\n"
    )
    assert (batch.concurrency, batch.policy, batch.gateway_tag) == (1, "stop", "plant-a")
    assert Execution.objects.filter(batch=batch).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gateway-tag", "plant-z"], "No gateway of team Line 1 is tagged 'plant-z'."),
        (["--gateway", "gw-a", "--gateway", "gw-x"], "No gateway named 'gw-x' in team 'Line 1'."),
        (["--gateway", "gw-a", "--gateway-tag", "plant-a", "--gateway", "gw-b"],
         "Give --gateway NAME (repeatable) or --gateway-tag TAG, not both."),
        (["--gateway", "gw-a", "--concurrency", "2"],
         "--concurrency and --stop-on-failure are for batches: give --gateway-tag TAG or "
         "--gateway more than once."),
        (["--gateway-tag", "plant-a", "--follow", "--html", "x.html"],
         "--html is for a single run; a batch writes --junit."),
        (["--gateway-tag", "plant-a", "-p", "colour=red"],
         "Invalid parameters: unknown parameter 'colour'"),
    ],
)  # fmt: skip
def test_bad_batches_exit_2_and_create_nothing(book, team, operator, args, message):
    tagged_gateways(team, {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"})

    text, code = refused("gateway/fleet.yaml", *args, "--user", operator.username)

    assert (text[: len(message)], code) == (message, 2)
    assert (Batch.objects.count(), Execution.objects.count()) == (0, 0)


@LIVE
def test_follow_prints_a_line_per_gateway_and_exits_1_when_one_failed(
    book, team, operator, sim_factory, wide_worker, tmp_path
):
    broken = sim_factory()
    broken.fault("/system/gwinfo", "500", count=100)
    urls = {"gw-a": sim_factory().url, "gw-b-broken": broken.url, "gw-c": sim_factory().url}
    tagged_gateways(team, urls)
    junit = tmp_path / "batch.xml"
    out = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command(
            "run_playbook", "gateway/fleet.yaml", "--gateway-tag", "plant-a", "--concurrency",
            "2", "--follow", "--junit", str(junit), "--user", operator.username, stdout=out,
        )  # fmt: skip

    batch = Batch.objects.get()
    lines = out.getvalue().splitlines()
    ended = [LINE.match(line) for line in lines[1:4]]
    assert sorted((match[1], match[2]) for match in ended) == [
        ("gw-a", "completed"),
        ("gw-b-broken", "failed"),
        ("gw-c", "completed"),
    ]
    assert lines[4].split() == ["GATEWAY", "STATUS", "RUNS", "DURATION", "RUN"]
    assert lines[-1] == f"Report written: {junit}"
    assert (str(excinfo.value), excinfo.value.returncode) == (
        f"Batch {batch.pk} ended failed: not every gateway's run completed.",
        1,
    )
    root = ElementTree.fromstring(junit.read_bytes())  # noqa: S314 - the portal's own document
    assert [suite.get("name") for suite in root.findall("testsuite")] == [
        f"Fleet check @ {name}" for name in urls
    ]
    assert root.get("failures") == "1"
