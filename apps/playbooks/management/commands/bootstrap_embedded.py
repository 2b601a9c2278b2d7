"""First-start set-up of an installation: `make run` and a container's first start.

Creates the first admin (``PORTAL_ADMIN_USERNAME``; the password from
``PORTAL_ADMIN_PASSWORD``/``_FILE``, else a generated one printed once) and the default team,
syncs the shipped playbook library and, unless ``--no-demo-gateway``, adds a demo gateway
target for the local simulator with its default login. Every part is idempotent.
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
            "--no-demo-gateway",
            action="store_true",
            help="Do not add the demo gateway target (an installation without the simulator).",
        )
        parser.add_argument(
            "--playbooks-path",
            type=Path,
            default=None,
            help="Playbook library folder (default: playbooks/ of the repository).",
        )

    def handle(self, *args, **options):
        created = admin_bootstrap(
            username=settings.PORTAL_ADMIN_USERNAME, password=settings.PORTAL_ADMIN_PASSWORD
        )
        result = {"username": created[0].username, "password": created[1]} if created else {}
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(self._admin_line(result))
        self._sync_library(options["playbooks_path"] or Path(settings.BASE_DIR) / "playbooks")
        if not options["no_demo_gateway"]:
            self._ensure_demo(options["simulator_url"])

    def _admin_line(self, result: dict) -> str:
        if not result:
            return "An admin already exists; nothing created."
        username, password = result["username"], result["password"]
        if not password:
            return f"Created admin {username} with the password set by PORTAL_ADMIN_PASSWORD."
        return f"Created admin {username} with password {password}"

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
