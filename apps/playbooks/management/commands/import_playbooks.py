"""Import playbook files, folders and zips as one set: a table of file, result and warnings."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Team, User
from apps.core.errors import ApplicationError
from apps.playbooks.services.imports import playbook_import_set
from apps.playbooks.services.sets import files_from_paths, set_name_of


class Command(BaseCommand):
    help = (
        "Import playbooks (files, folders, zips) as one set under a namespace (default "
        "imported/<set name>/), keeping their relative paths. Prints file, result and warnings; "
        "exits 1 when a file did not import (2 for a usage error)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files, folders or zips.")
        parser.add_argument("--team", help="Team name (needed when there are several teams).")
        parser.add_argument("--namespace", help="Folder to import into.")
        parser.add_argument("--set-name", default="", help="Name of the set (default: folder).")
        parser.add_argument(
            "--lenient", action="store_true", help="Migrate the originals' forms, with warnings."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")
        parser.add_argument(
            "--user", help="Importing user; an editor of the team vouches for 'verified: true'."
        )

    def handle(self, *args, **options):
        team = _team(options["team"])
        actor = _user(options["user"])
        try:
            files = files_from_paths(options["paths"])
            result = playbook_import_set(
                team=team,
                actor=actor,
                files=files,
                set_name=options["set_name"] or set_name_of([str(p) for p in options["paths"]]),
                namespace=options["namespace"],
                lenient=options["lenient"],
                dry_run=options["dry_run"],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self._print(result)
        failed = [o for o in result.files if o.result == "error"]
        if failed:
            raise CommandError(f"{len(failed)} of {len(result.files)} file(s) did not import.")

    def _print(self, result) -> None:
        width = max([len(o.file) for o in result.files] + [4])
        self.stdout.write(f"{'FILE':<{width}}  {'RESULT':<8}  WARNINGS  PATH")
        for outcome in result.files:
            self.stdout.write(
                f"{outcome.file:<{width}}  {outcome.result:<8}  {len(outcome.warnings):>8}  "
                f"{outcome.path}"
            )
        for outcome in result.files:
            for issue in outcome.errors + outcome.warnings:
                self.stdout.write(f"  {issue['severity'] or 'error'}: {_issue_text(issue)}")


def _issue_text(issue: dict) -> str:
    where = issue["file"] or ""
    if issue.get("line"):
        where += f":{issue['line']}"
    context = f" step '{issue['step_id']}'" if issue.get("step_id") else ""
    hint = f". {issue['hint']}" if issue.get("hint") else ""
    return f"{where}{context}: {issue['message']}{hint}"


def _team(name: str | None) -> Team:
    if name:
        team = Team.objects.filter(name=name).first()
        if team is None:
            raise CommandError(f"No team named {name}.", returncode=2)
        return team
    teams = list(Team.objects.order_by("name")[:2])
    if len(teams) != 1:
        raise CommandError("Choose the team with --team.", returncode=2)
    return teams[0]


def _user(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named {username}.", returncode=2)
    return user
