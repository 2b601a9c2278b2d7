"""``manage.py run_gateway_simulator``: serve a simulated Ignition gateway (issue 4)."""

from django.core.management.base import BaseCommand, CommandError

from apps.simulator.app import create_app
from apps.simulator.config import ConfigError, build_config
from apps.simulator.server import make_server


class Command(BaseCommand):
    help = "Run the Ignition gateway simulator (8.3 or 8.1 profile) until Ctrl-C."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Django's own --version (print Django's version) gives way to the gateway version.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8088)
        parser.add_argument(
            "--version",
            dest="gateway_version",
            default=None,
            help="8.3.6 (default), 8.3.0, 8.3.9, 8.3.N, 8.3.x, 8.1.x or 8.1.N",
        )
        parser.add_argument(
            "--time-scale",
            type=float,
            default=None,
            help="Multiply every duration, e.g. 0.01 in tests.",
        )
        parser.add_argument("--allow-unsigned-modules", action="store_true", default=None)
        parser.add_argument("--seed-file", default=None, help="JSON file with SimConfig values.")
        parser.add_argument(
            "--control",
            action="store_true",
            default=None,
            help="Enable the /__sim/ control surface.",
        )
        parser.add_argument("--error-style", choices=["json", "html"], default=None)
        parser.add_argument("--restart-style", choices=["soft", "hard"], default=None)
        parser.add_argument("--cold-start-s", type=float, default=None)
        parser.add_argument(
            "--uncommissioned", action="store_true", help="Start in NEEDS_COMMISSIONING."
        )
        parser.add_argument("--log-level", default="info")

        _knob_arguments(parser)

    def handle(self, *args, **options):
        try:
            config = build_config(
                options["seed_file"],
                version=options["gateway_version"],
                time_scale=options["time_scale"],
                allow_unsigned_modules=options["allow_unsigned_modules"],
                control=options["control"],
                error_style=options["error_style"],
                auth_failure_status=options["auth_failure_status"],
                restart_style=options["restart_style"],
                cold_start_s=options["cold_start_s"],
                commissioned=False if options["uncommissioned"] else None,
                port=options["port"],
            )
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Gateway simulator {config.full_version} on http://{options['host']}:{options['port']}"
            + (" (control surface at /__sim/)" if config.control else "")
        )
        server = make_server(
            create_app(config), options["host"], options["port"], options["log_level"]
        )
        # uvicorn installs SIGINT/SIGTERM handlers and returns after a graceful shutdown.
        server.run()
        if not server.started:
            raise CommandError(f"could not listen on {options['host']}:{options['port']}")
        self.stdout.write("Gateway simulator stopped.")


def _knob_arguments(parser) -> None:
    parser.add_argument(
        "--auth-failure-status",
        type=int,
        choices=[401, 403],
        default=None,
        help="Status for a request without a usable token or session (default: the version's).",
    )
