"""Write docs/playbooks.md and docs/steps.md from the catalogue; ``--check`` fails when stale."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.steps.reference import render_docs


class Command(BaseCommand):
    help = (
        "Generate docs/playbooks.md (format guide) and docs/steps.md (step reference) from the "
        "step catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with an error when a file differs from the catalogue.",
        )
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "docs"),
            help="Folder to write or check playbooks.md and steps.md in (default: docs/).",
        )

    def handle(self, *args, **options):
        folder = Path(options["output_dir"])
        expected = {folder / name: text for name, text in render_docs().items()}
        stale = [path for path, text in expected.items() if _read(path) != text]
        if options["check"]:
            self._check(expected, stale)
            return
        for path, text in expected.items():
            if path in stale:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {path}.")
            else:
                self.stdout.write(f"{path} is already up to date.")

    def _check(self, expected: dict[Path, str], stale: list[Path]) -> None:
        if stale:
            names = " and ".join(str(path) for path in stale)
            verb = "is" if len(stale) == 1 else "are"
            raise CommandError(
                f"{names} {verb} out of date with the step catalogue; "
                "run 'python manage.py generate_step_docs' and commit the result."
            )
        for path in expected:
            self.stdout.write(f"{path} is up to date.")


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None
