"""Retention: each team's policy removes finished runs and run files past it, exactly as its dry
run listed, files and audit entries included; live runs are never removed."""

import io
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts.models import AuditEntry
from apps.executions.models import Artifact, Batch, Execution, RetentionPolicy
from apps.executions.services.batches import batch_start
from apps.executions.services.launch import execution_start
from apps.executions.tasks import apply_retention
from tests.accounts.factories import TeamFactory, UserFactory
from tests.executions.factories import HELLO_STEP, playbook
from tests.gateways.factories import GatewayFactory
from toolkit_project.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy_defaults(settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path
    settings.RETENTION_RUN_DAYS = 30
    settings.RETENTION_KEEP_LAST_RUNS = 2
    settings.RETENTION_FAILED_RUN_DAYS = 60
    settings.RETENTION_ARTIFACT_DAYS = 10
    return tmp_path


def run(book, actor, *, days_ago: float, status="completed") -> Execution:
    """A run of ``book`` that ended ``days_ago``, with a screenshot in its folder."""
    execution = execution_start(book, actor=actor)
    ended = timezone.now() - timedelta(days=days_ago)
    Execution.objects.filter(pk=execution.pk).update(
        status=status, queued_at=ended - timedelta(minutes=1), finished_at=ended
    )
    folder = settings.ARTIFACTS_ROOT / str(execution.pk)
    folder.mkdir(parents=True)
    (folder / "shot.png").write_bytes(b"png")
    Artifact.objects.create(
        execution=execution, kind="screenshot", name="shot.png", path=f"{execution.pk}/shot.png"
    )
    return execution


def purge(*args) -> tuple[str, set[str], set[str]]:
    """The command's output, the runs it lists and the runs whose files it lists."""
    out = io.StringIO()
    call_command("purge_history", *args, stdout=out)
    text = out.getvalue()
    return (
        text,
        set(re.findall(r"^  run (\S+)", text, re.MULTILINE)),
        set(re.findall(r"^  files of run (\S+)", text, re.MULTILINE)),
    )


def test_purge_removes_exactly_what_its_dry_run_listed_files_included(
    policy_defaults, team, operator, django_capture_on_commit_callbacks
):
    book = playbook(team, HELLO_STEP, name="Nightly backup")
    old = [run(book, operator, days_ago=days) for days in (100, 90)]
    old_failure = run(book, operator, days_ago=70, status="failed")
    recent_failure = run(book, operator, days_ago=50, status="error")
    last_two = [run(book, operator, days_ago=days) for days in (5, 1)]
    live = execution_start(book, actor=operator)
    Execution.objects.filter(pk=live.pk).update(
        status="running", queued_at=timezone.now() - timedelta(days=400)
    )
    forever_team = TeamFactory(name="Line 9")
    RetentionPolicy.objects.create(team=forever_team, run_days=0, artifact_days=0)
    kept = run(playbook(forever_team, HELLO_STEP), operator, days_ago=500, status="failed")

    dry_text, listed, listed_files = purge("--dry-run")

    assert listed == {str(e.pk) for e in [*old, old_failure]}
    assert listed_files == {str(recent_failure.pk)}
    assert "Would remove 3 runs." in dry_text
    assert "failed more than 60 days ago, not among its playbook's last 2 runs" in dry_text
    assert Execution.objects.count() == 8
    assert all(
        (policy_defaults / str(e.pk)).exists() for e in Execution.objects.exclude(pk=live.pk)
    )

    with django_capture_on_commit_callbacks(execute=True):
        text, removed, emptied = purge()

    assert (removed, emptied) == (listed, listed_files)
    assert "Removed 3 runs." in text
    remaining = {str(pk) for pk in Execution.objects.values_list("pk", flat=True)}
    assert remaining == {str(e.pk) for e in [recent_failure, *last_two, live, kept]}
    assert {str(pk) for pk in Artifact.objects.values_list("execution_id", flat=True)} == {
        str(e.pk) for e in [*last_two, kept]
    }
    folders = {path.name for path in policy_defaults.iterdir()}
    assert folders == {str(e.pk) for e in [*last_two, kept]}
    purged = AuditEntry.objects.filter(action="execution.purge")
    assert {entry.object_id for entry in purged} == listed
    assert {entry.actor_name for entry in purged} == {"system"}
    files_entry = AuditEntry.objects.get(action="execution.purge_artifacts")
    assert (files_entry.object_id, files_entry.details) == (
        str(recent_failure.pk),
        {"files": 1, "bytes": 0},
    )
    assert purge("--dry-run")[1:] == (set(), set())


def test_a_team_policy_overrides_the_defaults_field_by_field(policy_defaults, team, operator):
    RetentionPolicy.objects.create(team=team, keep_last_runs=0, run_days=200)
    book = playbook(team, HELLO_STEP)
    gone = run(book, operator, days_ago=250)
    run(book, operator, days_ago=150)  # within 200 days
    failed = run(book, operator, days_ago=61, status="failed")  # the default 60 days applies

    _, listed, _ = purge("--dry-run")

    assert listed == {str(gone.pk), str(failed.pk)}


def test_the_beat_task_applies_the_policies(policy_defaults, team, operator):
    book = playbook(team, HELLO_STEP)
    stale = [run(book, operator, days_ago=days) for days in (300, 200, 100)]

    apply_retention()

    assert settings.CELERY_BEAT_SCHEDULE["executions-retention"]["task"] == (
        "executions.apply_retention"
    )
    assert "executions.apply_retention" in celery_app.tasks
    assert set(Execution.objects.filter(pk__in=[e.pk for e in stale])) == set(stale[1:])


def ended_batch(book, actor, gateways, days_ago: list[float], *, status="completed") -> Batch:
    """A batch of ``book`` over ``gateways`` whose runs ended ``days_ago`` (one age each)."""
    batch = batch_start(book, actor=actor, gateways=gateways)
    runs = Execution.objects.filter(batch=batch).order_by("gateway__name")
    for execution, days in zip(runs, days_ago, strict=True):
        ended = timezone.now() - timedelta(days=days)
        Execution.objects.filter(pk=execution.pk).update(
            status="completed", queued_at=ended - timedelta(minutes=1), finished_at=ended
        )
    Batch.objects.filter(pk=batch.pk).update(status=status)
    return batch


def test_a_batch_goes_with_its_last_run_as_its_dry_run_said(
    policy_defaults, team, operator, django_capture_on_commit_callbacks
):
    RetentionPolicy.objects.create(team=team, keep_last_runs=0)
    book = playbook(team, HELLO_STEP, name="Fleet backup")
    gateways = [GatewayFactory(team=team, name=name) for name in ("gw-a", "gw-b")]
    all_old = ended_batch(book, operator, gateways, [100, 90])
    one_recent = ended_batch(book, operator, gateways, [100, 1])
    still_running = ended_batch(book, operator, gateways, [100, 90], status="running")

    dry_text, listed, _ = purge("--dry-run")
    dry_batches = set(re.findall(r"^  batch (\S+)", dry_text, re.MULTILINE))
    with django_capture_on_commit_callbacks(execute=True):
        text, _, _ = purge()

    assert len(listed) == 5
    assert dry_batches == {str(all_old.pk)}
    assert "Would remove 1 batches left without runs." in dry_text
    assert "Removed 1 batches left without runs." in text
    assert set(Batch.objects.all()) == {one_recent, still_running}
    assert Execution.objects.filter(batch=one_recent).count() == 1
    entry = AuditEntry.objects.get(action="batch.purge")
    assert (entry.object_id, entry.actor_name) == (str(all_old.pk), "system")
    assert entry.details == {"reason": "Retention: all its runs were removed."}
    assert not re.findall(r"^  batch ", purge("--dry-run")[0], re.MULTILINE)


def test_expired_tokens_and_old_login_records_go_too(policy_defaults, settings, operator):
    settings.RETENTION_LOGIN_LOG_DAYS = 30
    now = timezone.now()
    for jti, expires in (("old", now - timedelta(hours=1)), ("new", now + timedelta(hours=1))):
        token = OutstandingToken.objects.create(
            user=operator, jti=jti, token=jti, created_at=now, expires_at=expires
        )
        BlacklistedToken.objects.create(token=token)
    for agent, when in (("old", now - timedelta(days=31)), ("new", now)):
        entry = AccessLog.objects.create(username="x", ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=when)
        attempt = AccessAttempt.objects.create(
            username="x", ip_address="10.0.0.1", user_agent=agent, failures_since_start=1
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)

    dry_text, _, _ = purge("--dry-run")
    text, _, _ = purge()

    assert "Would remove 1 expired JWT refresh tokens." in dry_text
    assert "Would remove 1 login log entries older than 30 days." in dry_text
    assert "Would remove 1 failed-login counts past the lock-out window." in dry_text
    assert "Removed 1 expired JWT refresh tokens." in text
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["new"]
    assert BlacklistedToken.objects.count() == 1
    assert AccessLog.objects.count() == AccessAttempt.objects.count() == 1


def test_policies_are_edited_in_the_admin_with_an_audit_entry(client, team, settings):
    settings.RETENTION_ARTIFACT_DAYS = 30
    root = UserFactory(username="rita-root", is_staff=True, is_superuser=True)
    client.force_login(root)

    form = client.get("/admin/executions/retentionpolicy/add/").content.decode()
    response = client.post(
        "/admin/executions/retentionpolicy/add/",
        {"team": team.pk, "run_days": "365", "keep_last_runs": "", "failed_run_days": ""},
    )

    assert "Empty: 30 (the installation's default)." in form
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(team=team)
    assert (policy.run_days, policy.artifact_days) == (365, None)
    entry = AuditEntry.objects.get(action="retention_policy.save")
    assert (entry.actor_name, entry.details["run_days"]) == ("rita-root", 365)
    listing = client.get("/admin/executions/retentionpolicy/").content.decode()
    assert "365 days" in listing
    assert "30 days" in listing


def test_deleting_a_policy_in_the_admin_is_audited(client, team, other_team):
    client.force_login(UserFactory(username="rita-root", is_staff=True, is_superuser=True))
    one = RetentionPolicy.objects.create(team=team, run_days=7)
    two = RetentionPolicy.objects.create(team=other_team, run_days=7)

    client.post(f"/admin/executions/retentionpolicy/{one.pk}/delete/", {"post": "yes"})
    client.post(
        "/admin/executions/retentionpolicy/",
        {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"},
    )

    assert RetentionPolicy.objects.count() == 0
    deleted = AuditEntry.objects.filter(action="retention_policy.delete")
    assert sorted(entry.object_id for entry in deleted) == sorted([str(one.pk), str(two.pk)])
