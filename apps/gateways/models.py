"""Gateway targets: the Ignition gateways playbooks run against."""

from django.db import models

from apps.core.models import BaseModel


class GatewayVersion(models.TextChoices):
    V8_1 = "8.1", "Ignition 8.1 (web UI only)"
    V8_3 = "8.3", "Ignition 8.3 (web UI and REST API)"


class Gateway(BaseModel):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="gateways")
    name = models.CharField(max_length=100)
    base_url = models.CharField(max_length=500, help_text="For example http://gateway.local:8088")
    version = models.CharField(
        max_length=5, choices=GatewayVersion.choices, default=GatewayVersion.V8_3
    )
    default_credential = models.ForeignKey(
        "credentials.Credential",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for_gateways",
    )
    tags = models.JSONField(default=list, blank=True)
    allow_concurrent_runs = models.BooleanField(
        default=False, help_text="Allow more than one mutating run against this gateway at once."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="gateway_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name
