"""Finished runs with chosen outcomes, times and step results, written straight to the
database: the history the trends read, without running each playbook."""

import datetime

from django.utils import timezone

from apps.executions.models import Artifact, ArtifactKind, Execution, StepRun

PASS, FAIL, RETRIED = "completed", "failed", "retried"


def days_ago(days: int, *, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def finished_run(
    playbook,
    *,
    status: str = "completed",
    ended: datetime.datetime | None = None,
    seconds: float = 10,
    steps: dict[str, str] | None = None,
    gateway=None,
) -> Execution:
    """A run of ``playbook`` that ended at ``ended`` after ``seconds``; ``steps`` maps step
    ids (at paths 0, 1, …) to PASS, FAIL or RETRIED (failed once, then passed)."""
    ended = ended or timezone.now()
    run = Execution.objects.create(
        team=playbook.team,
        playbook=playbook,
        playbook_version=playbook.current_version,
        playbook_name=playbook.name,
        gateway=gateway,
        status=status,
        started_at=ended - datetime.timedelta(seconds=seconds),
        finished_at=ended,
    )
    for position, (step_id, outcome) in enumerate((steps or {}).items()):
        StepRun.objects.create(
            execution=run,
            path=str(position),
            position=position,
            step_id=step_id,
            name=step_id.title(),
            type="utility.log",
            status=FAIL if outcome == FAIL else PASS,
            attempts=2 if outcome == RETRIED else 1,
            started_at=run.started_at,
            finished_at=ended,
        )
    return run


def screenshot(run: Execution, step_id: str, *, name: str = "failure.png") -> Artifact:
    return Artifact.objects.create(
        execution=run,
        step_run=run.steps.get(step_id=step_id),
        kind=ArtifactKind.SCREENSHOT,
        name=name,
        path=f"{run.pk}/{name}",
        content_type="image/png",
        size=4,
    )
