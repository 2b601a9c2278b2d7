"""Load the shipped library (playbooks/<domain>/*.yaml) as built-in playbooks of every team."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Team
from apps.playbooks.services import playbook_library_sync, shipped_library_root


class Command(BaseCommand):
    help = (
        "Sync playbooks/<domain>/*.yaml into the database as built-in playbooks of every team "
        "(or of --team). Idempotent: a changed file becomes a new revision; a built-in edited "
        "by a user is never overwritten and is reported as skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=None, help="Library folder to read.")
        parser.add_argument(
            "--team", action="append", default=[], help="Team name (repeatable); default: all."
        )

    def handle(self, *args, **options):
        root = options["path"] or shipped_library_root()
        if not root.is_dir():
            raise CommandError(f"The playbook library folder {root} does not exist.")
        teams = None
        if options["team"]:
            teams = list(Team.objects.filter(name__in=options["team"]).order_by("name"))
            missing = sorted(set(options["team"]) - {team.name for team in teams})
            if missing:
                raise CommandError(f"No team named {', '.join(missing)}.")
        report = playbook_library_sync(root=root, teams=teams)
        self._print(report)
        if report.invalid:
            raise CommandError(f"{len(report.invalid)} library file(s) are not valid playbooks.")

    def _print(self, report) -> None:
        for label in ("created", "updated", "skipped"):
            for line in getattr(report, label):
                self.stdout.write(f"{label}: {line}")
        for issues in report.invalid.values():
            for issue in issues:
                where = f"{issue['file']}:{issue['line']}:{issue['column']}"
                self.stderr.write(f"invalid: {where}: {issue['message']}")
        self.stdout.write(
            f"Playbook library: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
            f"{len(report.invalid)} invalid."
        )
