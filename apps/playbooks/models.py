"""Playbooks as stored versions, and saved parameter presets."""

import json

from django.conf import settings
from django.db import models
from encrypted_model_fields.fields import EncryptedTextField

from apps.core.models import BaseModel


class PlaybookOrigin(models.TextChoices):
    BUILTIN = "builtin", "Built-in (shipped library)"
    USER = "user", "Created or duplicated by a user"
    IMPORTED = "imported", "Imported"


class Playbook(BaseModel):
    """A team's playbook. Name, domain, group and description mirror the current version."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="playbooks")
    path = models.CharField(max_length=255, help_text="Library path, e.g. gateway/login.yaml")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True, help_text="The author's version.")
    domain = models.CharField(max_length=50, blank=True, db_index=True)
    group = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(
        max_length=20, choices=PlaybookOrigin.choices, default=PlaybookOrigin.USER
    )
    duplicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    current_version = models.ForeignKey(
        "playbooks.PlaybookVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["domain", "group", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "path"], name="playbook_unique_team_path")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.origin == PlaybookOrigin.BUILTIN


class PlaybookVersion(models.Model):
    """One immutable revision of a playbook's YAML."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField()
    yaml_text = models.TextField()
    sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for versions written by the library sync.",
    )
    change_note = models.CharField(max_length=500, blank=True)
    parameters = models.JSONField(
        default=list, blank=True, help_text="The parameter definitions of this YAML, parsed."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["playbook", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "revision"], name="playbookversion_unique_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.playbook} r{self.revision}"


class Preset(BaseModel):
    """A named set of parameter values for one playbook.

    Values of credential parameters are credential *names* (references); secret parameters
    hold ``$encrypted$`` in ``values`` and their values in ``secret_values`` (encrypted).
    """

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="presets")
    name = models.CharField(max_length=100)
    values = models.JSONField(default=dict, blank=True)
    secret_values = EncryptedTextField(
        blank=True, default="", help_text="Values of the secret parameters (JSON), encrypted."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="presets"
    )
    shared = models.BooleanField(default=False, help_text="Visible to the whole team.")

    class Meta:
        ordering = ["playbook", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "owner", "name"], name="preset_unique_owner_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def secret_values_dict(self) -> dict:
        """The values of the preset's secret parameters, decrypted."""
        return json.loads(self.secret_values) if self.secret_values else {}
