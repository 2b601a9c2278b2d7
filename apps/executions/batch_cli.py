"""What ``run_playbook`` needs for a batch: its gateways by name or tag, and following it to
the end with one line per gateway as each run ends."""

import time
from collections.abc import Callable

from django.core.management.base import OutputWrapper

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from apps.executions.batch_selectors import BatchRow, batch_gateways_tagged, batch_rows
from apps.executions.cli import POLL_SECONDS, bad_input, cli_gateway, first_line, format_duration
from apps.executions.cli import format_table as table
from apps.executions.models import Batch
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook


def cli_batch_gateways(
    user: User, playbook: Playbook, names: list[str], tag: str | None
) -> list[Gateway]:
    """The gateways named (``--gateway``, repeated) or tagged (``--gateway-tag``)."""
    if names and tag:
        raise bad_input("Give --gateway NAME (repeatable) or --gateway-tag TAG, not both.")
    if tag is not None:
        try:
            return batch_gateways_tagged(user, playbook.team, tag)
        except ApplicationError as exc:
            raise bad_input(exc.message) from None
    return [cli_gateway(user, playbook, name) for name in names]


def batch_line(row: BatchRow) -> str:
    """``gw-a: completed (2.31 s)``, with the first line of the reason when it did not."""
    text = f"{row.gateway}: {row.run.status} ({format_duration(row.duration_seconds)})"
    if row.run.status != "completed" and row.run.status_reason:
        text += f": {first_line(row.run.status_reason)}"
    return text


def batch_table(batch: Batch) -> str:
    rows = [
        [
            row.gateway,
            row.run.status,
            str(row.attempts),
            format_duration(row.duration_seconds),
            str(row.run.pk),
        ]
        for row in batch_rows(batch)
    ]
    return table(["GATEWAY", "STATUS", "RUNS", "DURATION", "RUN"], rows)


class BatchFollower:
    """Prints a line per gateway as its run ends, until the batch has ended."""

    def __init__(
        self,
        batch: Batch,
        out: OutputWrapper,
        *,
        poll_seconds: float = POLL_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.batch, self.out = batch, out
        self.poll_seconds, self.sleep = poll_seconds, sleep
        self.shown: set = set()

    def follow(self) -> Batch:
        while True:
            batch = Batch.objects.get(pk=self.batch.pk)
            for row in batch_rows(batch):
                if row.run.is_finished and row.run.pk not in self.shown:
                    self.shown.add(row.run.pk)
                    self.out.write(batch_line(row))
                    self.out.flush()
            if batch.finished_at is not None:
                return batch
            self.sleep(self.poll_seconds)
