"""First-start set-up of a single-machine install: an admin user with a generated password."""

import json

from django.core.management.base import BaseCommand

from apps.accounts.services import admin_bootstrap


class Command(BaseCommand):
    help = "Create the first admin (random password, printed once) and the default team."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--simulator-url",
            default="http://127.0.0.1:8088",
            help="Base URL of the local gateway simulator for the demo gateway target.",
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
