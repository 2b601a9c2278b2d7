"""The credential vault: one encrypted secret per named credential, owned by a team."""

from django.conf import settings
from django.db import models
from encrypted_model_fields.fields import EncryptedCharField

from apps.core.models import BaseModel

# What the API and the admin show in place of a stored secret; sent back it means "unchanged".
SECRET_PLACEHOLDER = "$encrypted$"  # noqa: S105 (a placeholder, not a secret)


class CredentialKind(models.TextChoices):
    USERNAME_PASSWORD = "username_password", "Username and password"
    API_TOKEN = "api_token", "Ignition 8.3 API token"
    AI_API_KEY = "ai_api_key", "AI provider API key"


class Credential(BaseModel):
    """A named secret. The secret column holds a Fernet token, never the clear value."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(max_length=100)
    kind = models.CharField(
        max_length=30, choices=CredentialKind.choices, default=CredentialKind.USERNAME_PASSWORD
    )
    username = models.CharField(max_length=150, blank=True)
    secret = EncryptedCharField(max_length=4000)
    gateway_url = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credentials",
    )
    shared = models.BooleanField(
        default=False, help_text="Usable by every member of the team, not only the owner."
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="credential_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name
