"""Runs of playbooks: the execution, one row per planned step, its events and artifacts."""

import json
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from encrypted_model_fields.fields import EncryptedTextField


class ExecutionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    ERROR = "error", "Error (infrastructure)"


LIVE_STATUSES = (ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.PAUSED)
FINISHED_STATUSES = (
    ExecutionStatus.COMPLETED,
    ExecutionStatus.FAILED,
    ExecutionStatus.CANCELLED,
    ExecutionStatus.ERROR,
)


class StepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"
    CANCELLED = "cancelled", "Cancelled"


class Execution(models.Model):
    """One run of one pinned playbook version. The row is the truth about the run."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="executions")
    playbook = models.ForeignKey(
        "playbooks.Playbook", on_delete=models.SET_NULL, null=True, related_name="executions"
    )
    playbook_version = models.ForeignKey(
        "playbooks.PlaybookVersion", on_delete=models.PROTECT, related_name="executions"
    )
    playbook_name = models.CharField(max_length=200, help_text="Kept when the playbook goes.")
    parameters = models.JSONField(
        default=dict,
        blank=True,
        help_text="Typed values; credentials as names, secret parameters as $encrypted$.",
    )
    secret_parameters = EncryptedTextField(
        blank=True, default="", help_text="Values of the secret parameters (JSON), encrypted."
    )
    gateway = models.ForeignKey(
        "gateways.Gateway", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ExecutionStatus.choices, default=ExecutionStatus.QUEUED
    )
    status_reason = models.TextField(blank=True)
    debug = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who cancelled the run, when a person did.",
    )
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker_hostname = models.CharField(max_length=255, blank=True)
    celery_task_id = models.CharField(max_length=255, blank=True)
    dispatched_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its message was handed to the broker; empty while it never reached it.",
    )
    timeout_seconds = models.PositiveIntegerField(default=3600)
    variables = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    pause_requested = models.BooleanField(default=False)
    last_seq = models.PositiveIntegerField(default=0)
    batch = models.ForeignKey(
        "executions.Batch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        help_text="The batch this run is one gateway of, when it was launched as one.",
    )

    class Meta:
        ordering = ["-queued_at"]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="execution_status_queued"),
            models.Index(fields=["gateway", "status"], name="execution_gateway_status"),
            # A team's history, newest first; its counts by status; who started its runs.
            models.Index(fields=["team", "-queued_at"], name="execution_team_queued"),
            models.Index(fields=["team", "status"], name="execution_team_status"),
            models.Index(fields=["requested_by", "team"], name="execution_requester_team"),
        ]

    def __str__(self) -> str:
        return f"{self.playbook_name} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("executions:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def secret_parameters_values(self) -> dict:
        """The values of the run's secret parameters, decrypted."""
        return json.loads(self.secret_parameters) if self.secret_parameters else {}


class BatchPolicy(models.TextChoices):
    CONTINUE = "continue", "Continue on failure"
    STOP = "stop", "Stop on first failure"


class BatchStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Batch(models.Model):
    """One playbook launched against several gateways: one run per gateway, at most
    ``concurrency`` of them started at once (empty: no limit of its own)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="batches")
    playbook = models.ForeignKey(
        "playbooks.Playbook", on_delete=models.SET_NULL, null=True, related_name="batches"
    )
    playbook_name = models.CharField(max_length=200, help_text="Kept when the playbook goes.")
    gateway_tag = models.CharField(
        max_length=100, blank=True, help_text="The tag the gateways were chosen by, if any."
    )
    concurrency = models.PositiveIntegerField(null=True, blank=True)
    policy = models.CharField(
        max_length=10, choices=BatchPolicy.choices, default=BatchPolicy.CONTINUE
    )
    cancel_running_on_stop = models.BooleanField(
        default=False, help_text="On a stop, cancel the runs already started too."
    )
    stop_requested = models.BooleanField(
        default=False, help_text="Start no more runs (a failure under 'stop', or cancel all)."
    )
    status = models.CharField(
        max_length=20, choices=BatchStatus.choices, default=BatchStatus.RUNNING
    )
    status_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return f"{self.playbook_name} batch ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("executions:batch", args=[self.pk])


class StepRun(models.Model):
    """One planned step of a run, created pending at launch and updated in place.

    ``path`` locates the step: ``"2"`` is the third top-level step, ``"2.0"`` the first step
    of the playbook that step runs.
    """

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="steps")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    path = models.CharField(max_length=100)
    position = models.PositiveIntegerField(help_text="Order in the flattened plan.")
    step_id = models.CharField(max_length=200)
    name = models.CharField(max_length=300, blank=True)
    type = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    outputs = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["execution", "position"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "path"], name="steprun_unique_path")
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.step_id} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ExecutionEvent(models.Model):
    """Something that happened to a run, numbered by ``seq`` (1, 2, 3… per execution)."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["execution", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "seq"], name="event_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.type}"


class ArtifactKind(models.TextChoices):
    SCREENSHOT = "screenshot", "Screenshot"
    DOWNLOAD = "download", "Download"
    HTML = "html", "Page HTML"
    TRACE = "trace", "Playwright trace"
    REPORT = "report", "Report"
    LOG = "log", "Log"
    DEBUG = "debug", "Debug context"


class Artifact(models.Model):
    """A file a run produced, stored under the run's own folder."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="artifacts")
    step_run = models.ForeignKey(
        StepRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="artifacts"
    )
    kind = models.CharField(max_length=20, choices=ArtifactKind.choices)
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=500, help_text="Relative to the artifacts root.")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["execution", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class LaunchKey(models.Model):
    """An ``Idempotency-Key`` a user sent with a launch: a repeat within its lifetime (24 h)
    answers with the same run instead of starting another."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.JSONField(
        help_text="A keyed hash of each field of the launch request, to spot a changed repeat."
    )
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="launch_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.user_id})"


class MetricCarry(models.Model):
    """What deleted rows (runs, notification deliveries) had added to one counter sample of
    ``/metrics``, so the counter keeps its value when they go (by hand or by retention).
    Written only by ``totals_carry``."""

    key = models.CharField(max_length=64, unique=True, help_text="Hash of name and labels.")
    name = models.CharField(max_length=200)
    labels = models.JSONField(default=list, help_text="[[label, value], …] sorted by label.")
    value = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.labels} {self.value:g}"


class RetentionPolicy(models.Model):
    """How long a team keeps its finished runs and their files. An empty field (or a team
    without a policy) uses the installation's ``RETENTION_*`` setting; 0 days keeps forever."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="retention_policy"
    )
    run_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Remove finished runs this many days after they end."
    )
    keep_last_runs = models.PositiveIntegerField(
        null=True, blank=True, help_text="Always keep at least this many last runs per playbook."
    )
    failed_run_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Failed runs (and errors) are kept this many days."
    )
    artifact_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Remove the files of runs (screenshots, traces, downloads) after this many days.",
    )

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"Retention of {self.team}"
