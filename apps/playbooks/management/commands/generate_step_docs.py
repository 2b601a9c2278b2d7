"""Write docs/playbooks.md from the step catalogue; ``--check`` fails when the file is stale."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.steps.reference import render_playbooks_doc


class Command(BaseCommand):
    help = "Generate docs/playbooks.md (format guide and step reference) from the catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with an error when the file differs from the catalogue.",
        )
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "playbooks.md"),
            help="File to write or check (default: docs/playbooks.md).",
        )

    def handle(self, *args, **options):
        path = Path(options["output"])
        expected = render_playbooks_doc()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if options["check"]:
            if current != expected:
                raise CommandError(
                    f"{path} is out of date with the step catalogue; "
                    "run 'python manage.py generate_step_docs' and commit the result."
                )
            self.stdout.write(f"{path} is up to date.")
            return
        if current == expected:
            self.stdout.write(f"{path} is already up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
