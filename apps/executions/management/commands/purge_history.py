"""``manage.py purge_history [--dry-run]``: apply the retention policies now, listing each run,
each run's files and each emptied batch removed (or, with --dry-run, that would be)."""

from django.core.management.base import BaseCommand

from apps.executions.services.retention import history_purge


class Command(BaseCommand):
    help = (
        "Remove finished runs, run files, login records and notification deliveries past their "
        "retention (each team's policy, else the RETENTION_* settings; "
        "NOTIFICATION_DELIVERY_RETENTION_DAYS), listing what goes. Beat does this hourly."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed; remove nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        plan, records = history_purge(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} {len(plan.runs)} runs.")
        for run in plan.runs:
            ended = run.ended_at.strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"  run {run.id}  {run.team} / {run.playbook}  {run.status}  ended {ended}  "
                f"({run.reason})"
            )
        files = sum(item.files for item in plan.files)
        size = sum(item.bytes or 0 for item in plan.files)
        self.stdout.write(
            f"{verb} the files of {len(plan.files)} runs ({files} files, {size} bytes)."
        )
        for item in plan.files:
            self.stdout.write(
                f"  files of run {item.id}  {item.team} / {item.playbook}  "
                f"{item.files} files, {item.bytes or 0} bytes"
            )
        self.stdout.write(f"{verb} {len(plan.batches)} batches left without runs.")
        for batch in plan.batches:
            created = batch.created_at.strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"  batch {batch.id}  {batch.team} / {batch.playbook}  created {created}"
            )
        for kind, count in records.items():
            self.stdout.write(f"{verb} {count} {kind}.")
