"""Starting a run: validate, pin the version, plan the steps, enqueue after commit."""

from typing import Any

from django.conf import settings
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.credentials.selectors import credential_names_for_team, credential_names_for_user
from apps.executions.capabilities import capability_problem
from apps.executions.events import EventType, event_record
from apps.executions.models import Batch, Execution
from apps.executions.parameters import (
    ParameterError,
    parameters_autofill,
    parameters_coerce,
    parameters_credential_problems,
)
from apps.executions.plan import plan_create, plan_steps
from apps.executions.secret_parameters import secrets_dumps, secrets_keep, secrets_split
from apps.executions.services.dispatch import execution_send
from apps.files.references import library_files_pin
from apps.gateways.models import Gateway
from apps.playbooks.loader import PlaybookValidationError, load_playbook
from apps.playbooks.models import Playbook
from apps.steps.plugins.utility.python import python_steps_problem


@transaction.atomic
def execution_start(
    playbook: Playbook,
    *,
    actor: User,
    parameters: dict[str, Any] | None = None,
    gateway: Gateway | None = None,
    debug: bool = False,
    timeout_seconds: int | None = None,
    stored_secrets: dict[str, Any] | None = None,
    batch: Batch | None = None,
) -> Execution:
    """Create a queued run of the playbook's current version and send it to the workers after
    commit (or, while the broker is unreachable, leave it to the dispatcher: see ``dispatch``).

    Values of secret parameters are kept encrypted, apart from the others; where one is given
    as the placeholder ``$encrypted$``, its value comes from ``stored_secrets`` (a preset's,
    a schedule's or an earlier run's).

    A run of a ``batch`` is not sent here: the batch sends its runs as its concurrency allows
    (``services/batch_dispatch``).
    """
    _check_can_run(playbook, actor=actor, gateway=gateway)
    _check_timeout(timeout_seconds)
    version = playbook.current_version
    try:
        loaded = load_playbook(version.yaml_text, source=playbook.path)
    except PlaybookValidationError as exc:
        raise ApplicationError(f"The playbook cannot run: {exc}") from None
    values = parameters_autofill(loaded.parameters, dict(parameters or {}), gateway)
    values = secrets_keep(loaded.parameters, values, stored_secrets or {})
    typed = parameters_coerce(
        loaded.parameters, values, credential_names=credential_names_for_team(playbook.team)
    )
    _check_credentials_usable(loaded.parameters, typed, playbook=playbook, actor=actor)
    problems = library_files_pin(loaded.parameters, typed, playbook.team)
    if problems:
        raise ParameterError(problems)
    clear, secret = secrets_split(loaded.parameters, typed)
    execution = Execution.objects.create(
        team=playbook.team,
        playbook=playbook,
        playbook_version=version,
        playbook_name=playbook.name,
        parameters=clear,
        secret_parameters=secrets_dumps(secret),
        gateway=gateway,
        debug=debug,
        requested_by=actor,
        timeout_seconds=timeout_seconds or settings.EXECUTION_TIMEOUT_SECONDS,
        batch=batch,
    )
    plan_create(execution, loaded.steps, stack=(playbook.path,))
    _check_runnable_here(execution, loaded.steps)
    event_record(execution.pk, EventType.STATUS, {"status": "queued"})
    execution.last_seq = 1  # the run's first event, stored at once (no engine runs it yet)
    audit_record(actor, "execution.start", target=execution, details={"playbook": playbook.path})
    if batch is None:
        transaction.on_commit(lambda: execution_send(execution.pk))
    return execution


def _check_can_run(playbook: Playbook, *, actor: User, gateway: Gateway | None) -> None:
    if not user_has_role(actor, Role.OPERATOR):
        raise PermissionDeniedError("Running playbooks needs the operator role.")
    if not playbook.enabled:
        raise ApplicationError(f"Playbook '{playbook.name}' is disabled; enable it to run it.")
    if playbook.current_version_id is None:
        raise ApplicationError(f"Playbook '{playbook.name}' has no version to run.")
    if gateway is not None and gateway.team_id != playbook.team_id:
        raise ApplicationError(f"Gateway '{gateway.name}' belongs to another team.")


def _check_timeout(timeout_seconds: int | None) -> None:
    longest = settings.EXECUTION_MAX_SECONDS
    if timeout_seconds is not None and timeout_seconds > longest:
        raise ApplicationError(
            f"timeout_seconds is {timeout_seconds}, longer than the longest run this "
            f"installation allows ({longest} s, EXECUTION_MAX_SECONDS); give at most {longest}."
        )


def _check_credentials_usable(
    definitions: list[dict], typed: dict[str, Any], *, playbook: Playbook, actor: User
) -> None:
    """Refuse credentials of the team that ``actor`` may not use (another user's private one)."""
    usable = credential_names_for_user(actor, playbook.team)
    problems = parameters_credential_problems(definitions, typed, usable=usable, team=playbook.team)
    if problems:
        raise ParameterError(problems)


def _check_runnable_here(execution: Execution, steps: list[dict]) -> None:
    """Refuse (nothing is kept) planned steps this installation cannot run: Python steps where
    they are off, cannot be sandboxed or ask for a network not allowed, steps that need a
    worker capability no running worker has."""
    planned = list(execution.steps.only("type", "step_id").order_by("pk"))
    problem = None
    if any(row.type == "utility.python" for row in planned):
        stack = (execution.playbook.path,)
        problem = python_steps_problem(plan_steps(execution.team, steps, stack=stack))
    problem = problem or capability_problem(planned)
    if problem is not None:
        raise ApplicationError(problem)
