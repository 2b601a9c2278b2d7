"""Cancel a queued or running execution, as the Cancel button does."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError, ConflictError
from apps.executions.cli import EXIT_FAILED, bad_input, cli_execution, cli_user
from apps.executions.models import ExecutionStatus
from apps.executions.services.control import execution_cancel


class Command(BaseCommand):
    help = (
        "Cancel the execution with this ID: a queued run ends at once, a running one within "
        "half a second. Exit code: 0 cancelled or requested, 1 the run had already ended, "
        "2 bad input (unknown ID, not allowed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("execution_id", metavar="ID", help="The execution's UUID.")
        parser.add_argument("--user", metavar="USERNAME", help="Act as this user.")

    def handle(self, *args, **options):
        user = cli_user(options["user"])
        execution = cli_execution(user, options["execution_id"])
        try:
            # A queued run comes back cancelled; a live one keeps its status until it stops.
            current = execution_cancel(execution, actor=user)
        except ConflictError as exc:
            raise CommandError(exc.message, returncode=EXIT_FAILED) from None
        except ApplicationError as exc:
            raise bad_input(exc.message) from None
        if current.status == ExecutionStatus.CANCELLED:
            self.stdout.write(f"Execution {execution.pk} cancelled before it started.")
        else:
            self.stdout.write(
                f"Cancel requested for execution {execution.pk} ({current.status}); "
                "it stops within half a second."
            )
