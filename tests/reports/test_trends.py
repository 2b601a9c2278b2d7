"""The trends of a playbook's and a gateway's runs, from known histories: pass rate and
duration per day, flaky steps of both kinds, the last failure, and what another team sees."""

import pytest
from django.utils import timezone

from apps.reports.trends import trends_for_gateway, trends_for_playbook
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory
from tests.reports.history import FAIL, PASS, RETRIED, days_ago, finished_run, screenshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def playbook(team):
    return PlaybookFactory(team=team, name="Nightly backup")


def test_each_day_has_its_pass_rate_and_duration_percentiles(playbook, viewer):
    for seconds in (10, 20, 30, 40):
        finished_run(playbook, ended=days_ago(2), seconds=seconds)
    finished_run(playbook, status="failed", ended=days_ago(2), seconds=100)
    finished_run(playbook, status="error", ended=days_ago(0), seconds=4)
    finished_run(playbook, status="cancelled", ended=days_ago(0), seconds=1)  # not counted
    finished_run(playbook, ended=days_ago(8))  # outside the 7 days

    trends = trends_for_playbook(viewer, playbook, days=7)

    assert [bucket.day for bucket in trends.buckets][-1] == timezone.localdate()
    assert len(trends.buckets) == 7
    assert trends.since == days_ago(6).date()
    two_days_ago, today = trends.buckets[4], trends.buckets[6]
    assert (two_days_ago.runs, two_days_ago.passed, two_days_ago.failed) == (5, 4, 1)
    assert two_days_ago.pass_rate == pytest.approx(0.8)
    assert two_days_ago.median_seconds == pytest.approx(30)
    assert two_days_ago.p95_seconds == pytest.approx(88)  # 40 + 0.8 × (100 - 40)
    assert (today.runs, today.passed, today.pass_rate, today.median_seconds) == (1, 0, 0, 4)
    assert [bucket.runs for bucket in trends.buckets] == [0, 0, 0, 0, 5, 0, 1]
    assert trends.buckets[0].pass_rate is None
    assert trends.buckets[0].median_seconds is None
    assert (trends.runs, trends.passed, trends.pass_rate) == (6, 4, pytest.approx(4 / 6))


def test_the_window_reaches_back_as_many_days_as_chosen(playbook, viewer):
    finished_run(playbook, ended=days_ago(29))
    finished_run(playbook, ended=days_ago(30))

    assert trends_for_playbook(viewer, playbook, days=30).runs == 1
    assert trends_for_playbook(viewer, playbook, days=90).runs == 2
    with pytest.raises(ValueError, match="one of"):
        trends_for_playbook(viewer, playbook, days=12)


def test_a_step_passing_on_its_retry_is_flaky(playbook, viewer):
    finished_run(playbook, ended=days_ago(3), steps={"login": PASS, "backup": PASS})
    run = finished_run(playbook, ended=days_ago(2), steps={"login": RETRIED, "backup": PASS})

    (step,) = trends_for_playbook(viewer, playbook, days=7).flaky

    assert (step.step_id, step.path, step.name) == ("login", "0", "Login")
    assert (step.retry_passes, step.flips, step.last_failure_execution_id) == (1, 0, None)
    assert step.last_seen_at == run.finished_at


def test_a_step_flipping_twice_across_runs_is_flaky_once_is_not(playbook, viewer):
    outcomes = [
        {"login": PASS, "backup": PASS},
        {"login": FAIL, "backup": FAIL},
        {"login": PASS, "backup": FAIL},
    ]
    runs = [
        finished_run(
            playbook,
            status="failed" if FAIL in steps.values() else "completed",
            ended=days_ago(5 - index),
            steps=steps,
        )
        for index, steps in enumerate(outcomes)
    ]

    (step,) = trends_for_playbook(viewer, playbook, days=7).flaky

    assert (step.step_id, step.flips, step.retry_passes) == ("login", 2, 0)
    assert step.last_failure_execution_id == runs[1].pk
    assert step.last_failure_at == runs[1].finished_at
    assert step.last_seen_at == runs[2].finished_at


def test_skipped_steps_do_not_count_as_flips(playbook, viewer):
    finished_run(playbook, ended=days_ago(3), steps={"login": PASS})
    skipped = finished_run(playbook, ended=days_ago(2), steps={"login": PASS})
    skipped.steps.update(status="skipped")
    finished_run(playbook, ended=days_ago(1), steps={"login": PASS})

    assert trends_for_playbook(viewer, playbook, days=7).flaky == []


def test_only_the_last_twenty_runs_are_read_for_flaky_steps(playbook, viewer):
    finished_run(playbook, ended=days_ago(6, hour=1), steps={"login": PASS})
    finished_run(playbook, ended=days_ago(6, hour=2), steps={"login": FAIL})
    for hour in range(20):
        finished_run(playbook, ended=days_ago(5, hour=hour), steps={"login": PASS})

    assert trends_for_playbook(viewer, playbook, days=7).flaky == []


def test_the_last_failure_shows_the_failed_steps_screenshot(playbook, viewer):
    older = finished_run(playbook, status="failed", ended=days_ago(3), steps={"open": FAIL})
    screenshot(older, "open")
    last = finished_run(
        playbook, status="failed", ended=days_ago(1), steps={"open": PASS, "check": FAIL}
    )
    screenshot(last, "check", name="check.png")
    screenshot(last, "open", name="open.png")  # newer, but of a step that passed
    finished_run(playbook, ended=days_ago(0))

    failure = trends_for_playbook(viewer, playbook, days=7).last_failure

    assert (failure.execution_id, failure.status) == (last.pk, "failed")
    assert failure.screenshot_name == "check.png"
    assert failure.screenshot_id == last.artifacts.get(name="check.png").pk


def test_a_gateway_gathers_the_runs_of_every_playbook_against_it(team, playbook, viewer):
    gateway = GatewayFactory(team=team)
    other = PlaybookFactory(team=team, name="Tag check")
    finished_run(playbook, gateway=gateway, ended=days_ago(1), steps={"login": PASS})
    finished_run(other, gateway=gateway, ended=days_ago(1), steps={"login": FAIL}, status="failed")
    finished_run(playbook, gateway=gateway, ended=days_ago(0), steps={"login": PASS})
    finished_run(playbook, ended=days_ago(0))  # no gateway

    trends = trends_for_gateway(viewer, gateway, days=7)

    assert (trends.runs, trends.passed) == (3, 2)
    assert trends.flaky == []  # each playbook's own steps: no flip within either


def test_another_teams_runs_are_not_counted(playbook, other_team, outsider, viewer):
    finished_run(playbook, ended=days_ago(1))

    assert trends_for_playbook(outsider, playbook, days=7).runs == 0
    assert trends_for_playbook(viewer, playbook, days=7).runs == 1


@pytest.mark.parametrize("runs", [5, 50])
def test_the_queries_do_not_grow_with_the_history(
    playbook, viewer, runs, django_assert_num_queries
):
    for index in range(runs):
        run = finished_run(
            playbook,
            status="failed" if index % 3 == 0 else "completed",
            ended=days_ago(index % 7, hour=index % 24),
            steps={"login": RETRIED if index % 4 else FAIL, "backup": PASS},
        )
        screenshot(run, "login")

    # The user's roles, the days, the flaky steps' rows, the last failure.
    with django_assert_num_queries(4):
        trends = trends_for_playbook(viewer, playbook, days=7)
        assert trends.runs == runs
        assert trends.last_failure.screenshot_id is not None
