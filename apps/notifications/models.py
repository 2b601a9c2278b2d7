"""Notifications: a team's rules saying which run ends to tell, and where to send them."""

from django.conf import settings
from django.db import models
from encrypted_model_fields.fields import EncryptedCharField

from apps.core.models import BaseModel


class Trigger(models.TextChoices):
    FAILURE = "failure", "On failure (failed or error, timeouts included)"
    SUCCESS = "success", "On success (completed)"
    ANY = "any", "On any end (cancelled included)"


class Scope(models.TextChoices):
    ALL = "all", "Every run of the team"
    PLAYBOOK = "playbook", "Runs of one playbook"
    SCHEDULE = "schedule", "Runs one schedule launched"
    GATEWAY = "gateway", "Runs against one gateway"
    TAG = "tag", "Runs against gateways with a tag"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class Preset(models.TextChoices):
    GENERIC = "generic", "Generic JSON"
    SLACK = "slack", "Slack-compatible"
    TEAMS = "teams", "Microsoft Teams-compatible"


class Outcome(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    RETRYING = "retrying", "Failed, will retry"
    FAILED = "failed", "Failed"


class Destination(BaseModel):
    """Where notifications go: email addresses, or a URL that receives a signed JSON POST.

    The webhook's secret signs each body (``X-Portal-Signature``); it is stored encrypted and
    never shown or sent again.
    """

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="notification_destinations"
    )
    name = models.CharField(max_length=100)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipients = models.JSONField(default=list, blank=True, help_text="Email addresses.")
    url = models.URLField(max_length=500, blank=True)
    secret = EncryptedCharField(max_length=500, blank=True, default="")
    preset = models.CharField(max_length=10, choices=Preset.choices, default=Preset.GENERIC)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="destination_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class Rule(BaseModel):
    """When to notify: which run ends (trigger), of which runs (scope), to which destinations."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="notification_rules"
    )
    name = models.CharField(max_length=100)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.FAILURE)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ALL)
    playbook = models.ForeignKey(
        "playbooks.Playbook", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    schedule = models.ForeignKey(
        "schedules.Schedule", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    gateway = models.ForeignKey(
        "gateways.Gateway", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    gateway_tag = models.CharField(max_length=100, blank=True)
    destinations = models.ManyToManyField(Destination, related_name="rules")
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="rule_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One attempt to deliver one notification: kept when its rule or destination goes, so the
    deliveries counter of ``/metrics`` never goes down."""

    destination = models.ForeignKey(
        Destination, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    rule = models.ForeignKey(
        Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    execution = models.ForeignKey(
        "executions.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    test = models.BooleanField(default=False, help_text="Sent by the Send test button.")
    attempt = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} attempt {self.attempt}: {self.outcome}"
