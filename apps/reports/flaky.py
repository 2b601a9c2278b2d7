"""Flaky steps and the last failure among a set of finished runs.

A step is *flaky* when, over the last ``FLAKY_RUNS`` runs, it passed on a retry after failing
in the same run at least once, or its outcome flipped between passed and failed at least
``FLAKY_FLIPS`` times from one run to the next of the same playbook. A step is one step of one
playbook: the same id at the same path (``2`` the third step, ``2.0`` the first step of the
playbook it runs). Runs where it was skipped, cancelled or never reached do not count.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Lag

from apps.executions.models import Artifact, ArtifactKind, Execution, StepRun, StepStatus

FLAKY_RUNS = 20
FLAKY_FLIPS = 2
OUTCOMES = (StepStatus.COMPLETED, StepStatus.FAILED)


@dataclass
class FlakyStep:
    playbook_id: int | None
    playbook_name: str
    path: str
    step_id: str
    name: str
    flips: int = 0
    retry_passes: int = 0
    last_failure_execution_id: uuid.UUID | None = None
    last_failure_at: datetime.datetime | None = None
    last_seen_at: datetime.datetime | None = None

    @property
    def is_flaky(self) -> bool:
        return self.retry_passes > 0 or self.flips >= FLAKY_FLIPS


@dataclass
class LastFailure:
    execution_id: uuid.UUID
    finished_at: datetime.datetime
    status: str
    status_reason: str
    screenshot_id: int | None
    screenshot_name: str | None


def flaky_steps(counted: QuerySet[Execution]) -> list[FlakyStep]:
    """The flaky steps of the last ``FLAKY_RUNS`` of ``counted`` (finished runs), most flips
    first. One query: PostgreSQL pairs each outcome with the step's previous one (``LAG``)."""
    recent = counted.order_by("-finished_at", "-pk").values("pk")[:FLAKY_RUNS]
    rows = (
        StepRun.objects.filter(execution_id__in=recent, status__in=OUTCOMES)
        .annotate(
            previous=Window(
                Lag("status"),
                partition_by=[F("execution__playbook_id"), F("step_id"), F("path")],
                order_by=[F("execution__finished_at").asc(), F("execution_id").asc()],
            )
        )
        .order_by("execution__finished_at", "execution_id", "position")
        .values(
            "path",
            "step_id",
            "name",
            "status",
            "attempts",
            "previous",
            "execution_id",
            "execution__playbook_id",
            "execution__playbook_name",
            "execution__finished_at",
        )
    )
    steps: dict[tuple, FlakyStep] = {}
    for row in rows:
        key = (row["execution__playbook_id"], row["step_id"], row["path"])
        step = steps.setdefault(
            key,
            FlakyStep(
                playbook_id=row["execution__playbook_id"],
                playbook_name=row["execution__playbook_name"],
                path=row["path"],
                step_id=row["step_id"],
                name=row["name"],
            ),
        )
        ended = row["execution__finished_at"]
        step.name, step.last_seen_at = row["name"] or step.name, ended
        if row["previous"] is not None and row["previous"] != row["status"]:
            step.flips += 1
        if row["status"] == StepStatus.COMPLETED and row["attempts"] > 1:
            step.retry_passes += 1
        if row["status"] == StepStatus.FAILED:
            step.last_failure_execution_id, step.last_failure_at = row["execution_id"], ended
    flaky = [step for step in steps.values() if step.is_flaky]
    return sorted(flaky, key=lambda s: (-s.flips, -s.retry_passes, s.playbook_name, s.path))


def last_failure(failed: QuerySet[Execution]) -> LastFailure | None:
    """The newest of the ``failed`` runs and its screenshot (the failed step's, else the
    run's newest), in one query."""
    screenshots = Artifact.objects.filter(
        execution_id=OuterRef("pk"), kind=ArtifactKind.SCREENSHOT, content_type__startswith="image/"
    ).order_by(
        Case(
            When(step_run__status=StepStatus.FAILED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-id",
    )
    row = (
        failed.annotate(
            screenshot_id=Subquery(screenshots.values("id")[:1]),
            screenshot_name=Subquery(screenshots.values("name")[:1]),
        )
        .order_by("-finished_at", "-pk")
        .values("pk", "finished_at", "status", "status_reason", "screenshot_id", "screenshot_name")
        .first()
    )
    if row is None:
        return None
    return LastFailure(
        execution_id=row["pk"],
        finished_at=row["finished_at"],
        status=row["status"],
        status_reason=row["status_reason"],
        screenshot_id=row["screenshot_id"],
        screenshot_name=row["screenshot_name"],
    )
