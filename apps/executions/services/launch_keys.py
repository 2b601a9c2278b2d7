"""Idempotent launches: a repeat of a launch with the same ``Idempotency-Key`` gets its run.

A key belongs to the user who sent it and lives 24 h. Within that time a repeat with the same
request answers with the run the first one started and starts nothing; a repeat with a
different request is refused, naming the fields that differ. Expired keys are ignored (and
replaced on reuse); ``launch_keys_prune`` deletes them.
"""

import json
import string
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.accounts.models import User
from apps.core.errors import ApplicationError, ConflictError
from apps.executions.models import Execution, LaunchKey

KEY_HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 200
KEY_LIFETIME = timedelta(hours=24)
_KEY_CHARACTERS = frozenset(string.printable) - frozenset("\t\n\r\x0b\x0c")


class LaunchKeyMismatchError(ApplicationError):
    """The key was used for a different launch request."""

    status = 422


def launch_key_check(key: str) -> str:
    """``key`` if it is a usable Idempotency-Key, else a 400 saying what is wrong with it."""
    if not key or len(key) > KEY_MAX_LENGTH or not set(key) <= _KEY_CHARACTERS:
        raise ApplicationError(
            f"The {KEY_HEADER} header must be 1 to {KEY_MAX_LENGTH} printable ASCII characters "
            f"(it has {len(key)}); send a unique value per launch, such as a UUID."
        )
    return key


def launch_fingerprint(request: Mapping[str, Any]) -> dict[str, str]:
    """A keyed hash of each field of a launch request (no values are stored, secrets included)."""
    return {
        name: salted_hmac(KEY_HEADER, json.dumps(value, sort_keys=True, default=str)).hexdigest()
        for name, value in request.items()
    }


def execution_start_once(
    actor: User, *, key: str, fingerprint: dict[str, str], start: Callable[[], Execution]
) -> tuple[Execution, bool]:
    """The run ``actor`` launched with ``key`` in the last 24 h and ``False``; else the run
    ``start`` creates, remembered under the key, and ``True``.

    Of two concurrent launches with one key, the second's insert of the key fails on the unique
    constraint, which rolls back its run; it then answers with the first one's run.
    """
    launch_key_check(key)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                earlier = _earlier_run(actor, key=key, fingerprint=fingerprint)
                if earlier is not None:
                    return earlier, False
                execution = start()
                LaunchKey.objects.create(
                    user=actor, key=key, fingerprint=fingerprint, execution=execution
                )
                return execution, True
        except IntegrityError:
            continue
    raise ConflictError(f"Another launch with this {KEY_HEADER} is in progress; repeat it.")


def _earlier_run(actor: User, *, key: str, fingerprint: dict[str, str]) -> Execution | None:
    stored = LaunchKey.objects.select_related("execution").filter(user=actor, key=key).first()
    if stored is None:
        return None
    if stored.created_at < timezone.now() - KEY_LIFETIME:
        stored.delete()
        return None
    names = stored.fingerprint.keys() | fingerprint.keys()
    changed = sorted(
        name for name in names if stored.fingerprint.get(name) != fingerprint.get(name)
    )
    if changed:
        raise LaunchKeyMismatchError(
            f"This {KEY_HEADER} was used in the last 24 h for a launch with a different "
            f"{', '.join(changed)}; repeat that request unchanged to get its run, or send a new "
            "key to start another run.",
            extra={"fields": changed},
        )
    return stored.execution


def launch_key_is_live(actor: User, key: str) -> bool:
    """Whether ``actor`` launched a run with ``key`` in the last 24 h (a repeat replays it)."""
    since = timezone.now() - KEY_LIFETIME
    return LaunchKey.objects.filter(user=actor, key=key, created_at__gte=since).exists()


def launch_keys_prune() -> int:
    """Delete Idempotency-Keys past their 24 h lifetime; return how many."""
    deleted, _ = LaunchKey.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
