"""Run a playbook through the same queue as the web, optionally following it to the end."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.executions.batch_cli import BatchFollower, batch_table, cli_batch_gateways
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
    positive_int,
    steps_table,
)
from apps.executions.models import BatchPolicy, BatchStatus, ExecutionStatus
from apps.executions.services.batches import batch_start
from apps.executions.services.launch import execution_start
from apps.files.local_uploads import local_files_upload
from apps.reports.batch_report import batch_junit_xml
from apps.reports.files import report_files_write, report_write


class Command(BaseCommand):
    help = (
        "Queue a run of the playbook at PATH (e.g. gateway/login.yaml) for the workers, as the "
        "web page does. With --follow, print each step as it runs and a table of steps at the "
        "end. With --gateway-tag, or --gateway given more than once, launch a batch: one run "
        "per gateway (--follow prints a line per gateway as its run ends). Exit code: 0 "
        "completed (or queued without --follow), 1 failed, cancelled or error (for a batch: "
        "any of its runs), 2 bad input."
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
        parser.add_argument(
            "--gateway",
            action="append",
            default=[],
            metavar="NAME",
            help="Target gateway of the team; repeat it to launch a batch on each one.",
        )
        parser.add_argument(
            "--gateway-tag",
            metavar="TAG",
            help="Launch a batch on every gateway of the team with this tag.",
        )
        parser.add_argument(
            "--concurrency",
            type=positive_int,
            metavar="N",
            help="Batch: start at most N runs at once (default: no limit of its own).",
        )
        parser.add_argument(
            "--stop-on-failure",
            action="store_true",
            help="Batch: after a failed run, cancel the runs not yet started.",
        )
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
        values = cli_fill_credential(user, playbook, values, options["credential"])
        try:
            values = local_files_upload(playbook, values, user)
        except ApplicationError as exc:
            raise bad_input(exc.message) from None
        is_batch = options["gateway_tag"] is not None or len(options["gateway"]) > 1
        if is_batch:
            self._batch(user, playbook, values, options)
            return
        if options["concurrency"] or options["stop_on_failure"]:
            raise bad_input(
                "--concurrency and --stop-on-failure are for batches: give "
                "--gateway-tag TAG or --gateway more than once."
            )
        gateway = cli_gateway(user, playbook, next(iter(options["gateway"]), None))
        try:
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

    def _batch(self, user, playbook, values, options) -> None:
        if options["html"]:
            raise bad_input("--html is for a single run; a batch writes --junit.")
        gateways = cli_batch_gateways(user, playbook, options["gateway"], options["gateway_tag"])
        policy = BatchPolicy.STOP if options["stop_on_failure"] else BatchPolicy.CONTINUE
        try:
            batch = batch_start(
                playbook,
                actor=user,
                gateways=gateways,
                gateway_tag=(options["gateway_tag"] or "").strip(),
                parameters=values,
                concurrency=options["concurrency"],
                policy=policy,
                debug=options["debug"],
            )
        except ApplicationError as exc:
            raise bad_input(exc.message) from None
        limit = f"at most {batch.concurrency} at once" if batch.concurrency else "no limit"
        self.stdout.write(
            f"Batch {batch.pk} queued: {playbook.name} ({playbook.path}, team "
            f"{playbook.team.name}) on {len(gateways)} gateway(s), {limit}."
        )
        if options["follow"]:
            self._follow_batch(batch, junit=options["junit"])

    def _follow_batch(self, batch, *, junit: str | None) -> None:
        try:
            finished = BatchFollower(batch, self.stdout).follow()
        except KeyboardInterrupt:
            raise CommandError(
                "Stopped following; the batch goes on. Cancel it with: "
                f"POST /api/v1/batches/{batch.pk}/cancel/",
                returncode=EXIT_INTERRUPTED,
            ) from None
        self.stdout.write(batch_table(finished))
        if junit:
            try:
                self.stdout.write(
                    f"Report written: {report_write(junit, batch_junit_xml(finished))}"
                )
            except ApplicationError as exc:
                raise CommandError(exc.message, returncode=EXIT_FAILED) from None
        if finished.status != BatchStatus.COMPLETED:
            reason = finished.status_reason or "not every gateway's run completed."
            raise CommandError(
                f"Batch {finished.pk} ended {finished.status}: {reason}", returncode=EXIT_FAILED
            )
