"""Persisting what a run does: step rows, log lines, debug contexts and artifacts, masked."""

import json
import logging
import mimetypes
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.database import survives_database_restart
from apps.core.log_context import run_step_entered, run_step_left
from apps.executions.artifact_store import artifact_upload, run_folder_remove
from apps.executions.engine.masking import Masker
from apps.executions.engine.redaction import redact_file
from apps.executions.events import EventType, event_record, events_flush
from apps.executions.models import Artifact, ArtifactKind, Execution, StepRun, StepStatus
from apps.executions.services.lifecycle import step_update

logger = logging.getLogger("apps.executions.run")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class Recorder:
    def __init__(self, execution: Execution, masker: Masker) -> None:
        self.execution = execution
        self.masker = masker
        self.artifacts_dir = Path(settings.ARTIFACTS_ROOT) / str(execution.pk)

    def json_safe(self, value: Any) -> Any:
        return self.masker.mask(json.loads(json.dumps(value, default=str)))

    def step(self, row: StepRun, **changes: Any) -> None:
        step_update(row, **changes)
        if changes.get("status") in (StepStatus.SKIPPED, StepStatus.CANCELLED):
            run_step_left(self.execution.pk, row.path)

    def step_started(self, row: StepRun) -> None:
        run_step_entered(self.execution.pk, row.path, row.step_id)
        step_update(
            row,
            status=StepStatus.RUNNING,
            attempts=row.attempts + 1,
            started_at=timezone.now(),
            finished_at=None,
            error="",
        )

    def step_completed(self, row: StepRun, outputs: dict[str, Any]) -> None:
        step_update(
            row,
            status=StepStatus.COMPLETED,
            outputs=self.json_safe(outputs),
            finished_at=timezone.now(),
        )
        run_step_left(self.execution.pk, row.path)

    def step_failed(self, row: StepRun, error: str) -> None:
        step_update(
            row, status=StepStatus.FAILED, error=self.masker.mask(error), finished_at=timezone.now()
        )
        run_step_left(self.execution.pk, row.path)

    def reset(self, row: StepRun) -> None:
        step_update(
            row,
            status=StepStatus.PENDING,
            attempts=0,
            outputs={},
            error="",
            started_at=None,
            finished_at=None,
        )

    def log(self, level: str, message: str, path: str = "") -> None:
        message = self.masker.mask(message)
        logger.log(
            logging.getLevelName(level.upper()) if level != "warning" else logging.WARNING,
            "[execution %s] %s",
            self.execution.pk,
            message,
        )
        event_record(
            self.execution.pk, EventType.LOG, {"level": level, "message": message, "path": path}
        )

    @survives_database_restart
    def username(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        return User.objects.filter(pk=user_id).values_list("username", flat=True).first() or ""

    def debug_context(self, row, step, scope, error: str, snapshot: dict[str, Any]) -> Artifact:
        """Store what a failed step saw (parameters, error, browser state), secrets masked."""
        context = {
            "step_id": step["id"],
            "name": step.get("name", ""),
            "type": step["type"],
            "path": row.path,
            "parameters": step.get("parameters", {}),
            "variables": scope.variables,
            "error": error,
            "captured_at": timezone.now().isoformat(),
        }
        screenshot, html = snapshot.pop("screenshot", None), snapshot.pop("html", None)
        if screenshot:
            self.artifact(row, ArtifactKind.SCREENSHOT, f"debug-{row.path}.png", data=screenshot)
        if html:
            self.artifact(row, ArtifactKind.HTML, f"debug-{row.path}.html", data=html)
        context.update(snapshot)
        data = json.dumps(self.json_safe(context), indent=2).encode()
        artifact = self.artifact(row, ArtifactKind.DEBUG, f"debug-{row.path}.json", data=data)
        event_record(
            self.execution.pk, EventType.DEBUG, {"path": row.path, "artifact_id": artifact.pk}
        )
        return artifact

    def artifact(
        self,
        row: StepRun | None,
        kind: str,
        name: str,
        *,
        data: bytes | str | None = None,
        source: Path | None = None,
        content_type: str = "",
    ) -> Artifact:
        """Store a file of the run under its own folder, its secrets masked, and record it.

        With an object store, the masked file is uploaded before its row and event exist, so
        the run page can show it at once from any web host.
        """
        target = self._place(name, data, source)
        content_type = content_type or mimetypes.guess_type(target.name)[0] or ""
        redact_file(target, kind=kind, content_type=content_type, masker=self.masker)
        key = f"{self.execution.pk}/{target.name}"
        artifact_upload(target, key)  # masked first: secrets never reach the store
        return self._record_artifact(row, kind, target, content_type, key)

    @survives_database_restart
    def _record_artifact(
        self, row: StepRun | None, kind: str, target: Path, content_type: str, key: str
    ) -> Artifact:
        """The artifact's row and its event, together (run again whole after a restart), after
        the events queued before it."""
        events_flush(self.execution.pk)
        with transaction.atomic():
            artifact = Artifact.objects.create(
                execution=self.execution,
                step_run=row,
                kind=kind,
                name=target.name,
                path=key,
                content_type=content_type,
                size=target.stat().st_size,
            )
            event_record(
                self.execution.pk,
                EventType.ARTIFACT,
                {
                    "id": artifact.pk,
                    "kind": kind,
                    "name": artifact.name,
                    "path": row.path if row else "",
                },
            )
        return artifact

    def close(self) -> None:
        """The run ended: drop its working folder when its files live in an object store."""
        run_folder_remove(self.execution.pk)

    def _place(self, name: str, data: bytes | str | None, source: Path | None) -> Path:
        """Write ``data`` (or move ``source``) to a new file of the run named after ``name``."""
        name = SAFE_NAME.sub("_", self.masker.mask_text(name)).strip("._")
        target = self._unique(name or "artifact")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            Path(source).replace(target)
        else:
            target.write_bytes(data.encode() if isinstance(data, str) else (data or b""))
        return target

    def _unique(self, name: str) -> Path:
        target = self.artifacts_dir / name
        stem, suffix, counter = target.stem, target.suffix, 1
        while target.exists() or target.is_symlink():  # never write through a link
            counter += 1
            target = self.artifacts_dir / f"{stem}-{counter}{suffix}"
        return target
