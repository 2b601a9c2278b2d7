"""List the runs a user may see, newest first, as a table."""

from django.core.management.base import BaseCommand

from apps.executions.cli import cli_user, executions_table, positive_int
from apps.executions.models import ExecutionStatus
from apps.executions.selectors import execution_list_for_user


class Command(BaseCommand):
    help = "List executions the user may see, newest first (default: the latest 20)."

    def add_arguments(self, parser):
        parser.add_argument("--status", choices=ExecutionStatus.values, help="Only this status.")
        parser.add_argument(
            "--limit", type=positive_int, default=20, help="How many to show (default 20)."
        )
        parser.add_argument("--user", metavar="USERNAME", help="Act as this user.")

    def handle(self, *args, **options):
        user = cli_user(options["user"])
        filters = {"status": options["status"]}
        executions = list(execution_list_for_user(user, filters=filters)[: options["limit"]])
        if not executions:
            self.stdout.write("No executions.")
            return
        self.stdout.write(executions_table(executions))
