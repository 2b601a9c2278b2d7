"""Run a playbook through the same queue as the web, optionally following it to the end."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.executions.cli import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    RunFollower,
    bad_input,
    cli_fill_credential,
    cli_gateway,
    cli_parameters,
    cli_playbook,
    cli_user,
    steps_table,
)
from apps.executions.models import ExecutionStatus
from apps.executions.services.launch import execution_start
from apps.files.local_uploads import local_files_upload
from apps.reports.files import report_files_write


class Command(BaseCommand):
    help = (
        "Queue a run of the playbook at PATH (e.g. gateway/login.yaml) for the workers, as the "
        "web page does. With --follow, print each step as it runs and a table of steps at the "
        "end. Exit code: 0 completed (or queued without --follow), 1 failed, cancelled or "
        "error, 2 bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Library path of the playbook, e.g. gateway/login.yaml.")
        parser.add_argument(
            "-p",
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A playbook parameter (repeatable); typed as the playbook declares it. For a "
            "file parameter, NAME=@PATH uploads the local file into the team's library and "
            "uses it.",
        )
        parser.add_argument("--gateway", metavar="NAME", help="Target gateway of the team.")
        parser.add_argument(
            "--credential",
            metavar="NAME",
            help="Vault credential for the playbook's credential parameter left unset.",
        )
        parser.add_argument("--debug", action="store_true", help="Run in debug mode.")
        parser.add_argument("--follow", action="store_true", help="Print progress to the end.")
        parser.add_argument(
            "--junit",
            metavar="FILE",
            help="With --follow: write the run's JUnit XML report to FILE when it ends.",
        )
        parser.add_argument(
            "--html",
            metavar="FILE",
            help="With --follow: write the run's self-contained HTML report to FILE when it ends.",
        )
        parser.add_argument("--user", metavar="USERNAME", help="Act as this user.")
        parser.add_argument("--team", metavar="NAME", help="The team whose playbook to run.")

    def handle(self, *args, **options):
        if (options["junit"] or options["html"]) and not options["follow"]:
            raise bad_input("--junit and --html need --follow: the reports are written at the end.")
        user = cli_user(options["user"])
        playbook = cli_playbook(user, options["path"], options["team"])
        values = cli_parameters(options["param"])
        gateway = cli_gateway(user, playbook, options["gateway"])
        values = cli_fill_credential(user, playbook, values, options["credential"])
        try:
            values = local_files_upload(playbook, values, user)
            execution = execution_start(
                playbook, actor=user, parameters=values, gateway=gateway, debug=options["debug"]
            )
        except ApplicationError as exc:
            raise bad_input(exc.message) from None
        self.stdout.write(
            f"Execution {execution.pk} queued: {playbook.name} ({playbook.path} "
            f"r{execution.playbook_version.revision}, team {playbook.team.name}), "
            f"{execution.steps.count()} step(s)."
        )
        if options["follow"]:
            self._follow(execution, junit=options["junit"], html=options["html"])

    def _follow(self, execution, *, junit: str | None, html: str | None) -> None:
        try:
            finished = RunFollower(execution, self.stdout).follow()
        except KeyboardInterrupt:
            raise CommandError(
                "Stopped following; the run goes on. Cancel it with: "
                f"manage.py cancel_execution {execution.pk}",
                returncode=EXIT_INTERRUPTED,
            ) from None
        self.stdout.write(steps_table(finished))
        try:
            written = report_files_write(finished, junit=junit, html=html)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=EXIT_FAILED) from None
        for path in written:
            self.stdout.write(f"Report written: {path}")
        if finished.status != ExecutionStatus.COMPLETED:
            raise CommandError(
                f"Execution {finished.pk} ended {finished.status}.", returncode=EXIT_FAILED
            )
