"""FAT reports of a run: a row per report, its files being artifacts of the run."""

from django.db import models

from apps.executions.models import Artifact, Execution


class Report(models.Model):
    """One report a ``fat.generate_report`` step produced (and its exports)."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="reports")
    report_id = models.CharField(max_length=120, help_text="The step output 'report_id'.")
    step_path = models.CharField(max_length=100, help_text="Path of the generating step.")
    title = models.CharField(max_length=200)
    total = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    html_artifact = models.ForeignKey(
        Artifact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf_artifact = models.ForeignKey(
        Artifact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "report_id"], name="report_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.report_id})"
