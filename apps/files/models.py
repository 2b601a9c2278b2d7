"""A team's library of input files (modules, backups, project zips, tag exports ...).

A library file is a name in a team; each upload of that name adds a version. The bytes of a
version live in the artifact store under ``files/<team id>/<sha256>``, so versions with the
same content share them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.core.models import BaseModel


class LibraryFile(BaseModel):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200, help_text="The file's name, as steps see it.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="library_file_unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("files:detail", args=[self.pk])

    @property
    def latest(self) -> "FileVersion | None":
        """The default version: the newest upload."""
        return self.versions.order_by("-number").first()


class FileVersion(models.Model):
    file = models.ForeignKey(LibraryFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    size = models.BigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="file_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.file.name} v{self.number}"
