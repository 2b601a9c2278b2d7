"""First-start set-up of a single-machine install.

Creates the first admin (generated password), syncs the shipped playbook library and adds a
demo gateway target for the local simulator with its default login. Every part is idempotent.
Standard output carries only the admin result (JSON with ``--json``, read by the launcher);
the library and demo summaries go to standard error.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts.models import Team, User
from apps.accounts.services import DEFAULT_TEAM_NAME, admin_bootstrap
from apps.gateways.services import gateway_ensure_demo
from apps.playbooks.services import playbook_library_sync


class Command(BaseCommand):
    help = (
        "Create the first admin (random password, printed once) and the default team, sync "
        "the playbook library and add the demo simulator gateway target."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--simulator-url",
            default="http://127.0.0.1:8088",
            help="Base URL of the local gateway simulator for the demo gateway target.",
        )
        parser.add_argument(
            "--playbooks-path",
            type=Path,
            default=None,
            help="Playbook library folder (default: playbooks/ of the repository).",
        )

    def handle(self, *args, **options):
        created = admin_bootstrap()
        result = {"username": created[0].username, "password": created[1]} if created else {}
        if options["json"]:
            self.stdout.write(json.dumps(result))
        elif created:
            self.stdout.write(
                f"Created admin {result['username']} with password {result['password']}"
            )
        else:
            self.stdout.write("An admin already exists; nothing created.")
        self._sync_library(options["playbooks_path"] or Path(settings.BASE_DIR) / "playbooks")
        self._ensure_demo(options["simulator_url"])

    def _sync_library(self, root: Path) -> None:
        if not root.is_dir():
            self.stderr.write(f"No playbook library at {root}; nothing synced.")
            return
        report = playbook_library_sync(root=root)
        self.stderr.write(
            f"Playbook library: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
            f"{len(report.invalid)} invalid."
        )

    def _ensure_demo(self, simulator_url: str) -> None:
        team = Team.objects.filter(name=DEFAULT_TEAM_NAME).first()
        actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if team is None or actor is None:
            self.stderr.write("No default team or admin; demo gateway not created.")
            return
        gateway, new = gateway_ensure_demo(team=team, actor=actor, base_url=simulator_url)
        state = "created" if new else "already present"
        self.stderr.write(f"Demo gateway {gateway.name!r} at {gateway.base_url}: {state}.")
