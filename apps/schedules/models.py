"""Schedules: a playbook launched automatically at set times, through celery beat."""

import json

from django.conf import settings
from django.db import models
from encrypted_model_fields.fields import EncryptedTextField

from apps.core.models import BaseModel


class ScheduleKind(models.TextChoices):
    INTERVAL = "interval", "Every N minutes"
    DAILY = "daily", "Daily at a time"
    WEEKLY = "weekly", "Weekly on some days at a time"
    MONTHLY = "monthly", "Monthly on a day at a time"
    CRON = "cron", "Cron expression"


def default_time_zone() -> str:
    """The portal's time zone, read when a schedule is made (never at import time)."""
    return settings.TIME_ZONE


class Schedule(BaseModel):
    """When to launch which playbook with which parameters, and what happened last time.

    With ``gateway_tag`` each trigger launches a batch: one run per gateway of the team with
    that tag at that moment. Parameters hold credential *names* for credential parameters,
    and ``$encrypted$`` for secret parameters, whose values are in ``secret_parameters``
    (encrypted). Launches run as ``created_by``. The linked ``PeriodicTask`` is kept in step
    by the services; beat reads it and sends ``schedules.launch_scheduled`` with this
    schedule's id.
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(max_length=100)
    playbook = models.ForeignKey(
        "playbooks.Playbook", on_delete=models.CASCADE, related_name="schedules"
    )
    parameters = models.JSONField(
        default=dict,
        blank=True,
        help_text="Typed values; credentials as names, secret parameters as $encrypted$.",
    )
    secret_parameters = EncryptedTextField(
        blank=True, default="", help_text="Values of the secret parameters (JSON), encrypted."
    )
    gateway = models.ForeignKey(
        "gateways.Gateway",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
        help_text="Deleting the gateway deletes its schedules: they never run against another.",
    )
    gateway_tag = models.CharField(
        max_length=100,
        blank=True,
        help_text="Instead of one gateway: a batch on every gateway of the team with this tag.",
    )
    kind = models.CharField(max_length=10, choices=ScheduleKind.choices)
    interval_minutes = models.PositiveIntegerField(null=True, blank=True)
    time_of_day = models.TimeField(null=True, blank=True, help_text="HH:MM in the time zone.")
    days_of_week = models.JSONField(default=list, blank=True, help_text='e.g. ["mon", "thu"]')
    day_of_month = models.PositiveSmallIntegerField(null=True, blank=True)
    cron_expression = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    enabled = models.BooleanField(default=True)
    skip_if_running = models.BooleanField(
        default=True, help_text="Do not launch while the previous run is queued, running or paused."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Launches run as this user.",
    )
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="toolkit_schedule",
    )
    last_triggered_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_execution = models.ForeignKey(
        "executions.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_batch = models.ForeignKey(
        "executions.Batch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_error = models.TextField(blank=True)
    last_skip_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="schedule_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name

    def secret_parameters_values(self) -> dict:
        """The values of the schedule's secret parameters, decrypted."""
        return json.loads(self.secret_parameters) if self.secret_parameters else {}
