"""Reads of notification rules, destinations and deliveries, and the rules a run's end meets.

Rules and destinations are seen by the editors of their team (and admins) only: they name
where a team's results go, which viewers and operators do not manage.
"""

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import scope_to_user, user_has_role
from apps.core.errors import NotFoundError
from apps.executions.models import Execution, ExecutionStatus
from apps.notifications.models import Delivery, Destination, Rule, Scope, Trigger

# The triggers each final status meets. A cancelled run was stopped by a person (or a worker
# going away): it is neither a failure nor a success, only "any end".
TRIGGERS_BY_STATUS = {
    ExecutionStatus.COMPLETED: (Trigger.SUCCESS, Trigger.ANY),
    ExecutionStatus.FAILED: (Trigger.FAILURE, Trigger.ANY),
    ExecutionStatus.ERROR: (Trigger.FAILURE, Trigger.ANY),
    ExecutionStatus.CANCELLED: (Trigger.ANY,),
}
DELIVERY_LOG_LENGTH = 50


def _for_editors(queryset: QuerySet, user: User) -> QuerySet:
    if not user_has_role(user, Role.EDITOR):
        return queryset.none()
    return scope_to_user(queryset, user)


def destination_list_for_user(user: User) -> QuerySet[Destination]:
    return _for_editors(Destination.objects.select_related("team"), user)


def destination_get_for_user(user: User, destination_id: int) -> Destination:
    """One destination the user manages, or ``NotFoundError``."""
    try:
        return destination_list_for_user(user).get(pk=destination_id)
    except (Destination.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(
            f"Destination {destination_id} does not exist or is not yours."
        ) from None


def rule_list_for_user(user: User) -> QuerySet[Rule]:
    rules = Rule.objects.select_related("team", "playbook", "schedule", "gateway")
    return _for_editors(rules.prefetch_related("destinations"), user)


def rule_get_for_user(user: User, rule_id: int) -> Rule:
    """One rule the user manages, or ``NotFoundError``."""
    try:
        return rule_list_for_user(user).get(pk=rule_id)
    except (Rule.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(f"Rule {rule_id} does not exist or is not yours.") from None


def delivery_log(destination: Destination) -> QuerySet[Delivery]:
    """The destination's latest delivery attempts, newest first."""
    return destination.deliveries.select_related("rule", "execution")[:DELIVERY_LOG_LENGTH]


def rules_matching(execution: Execution) -> list[Rule]:
    """The enabled rules of the run's team that its end meets, with their destinations."""
    triggers = TRIGGERS_BY_STATUS.get(execution.status)
    if not triggers:
        return []
    tags = list(execution.gateway.tags or []) if execution.gateway is not None else []
    scope = Q(scope=Scope.ALL) | Q(scope=Scope.SCHEDULE, schedule__last_execution=execution)
    if execution.playbook_id is not None:
        scope |= Q(scope=Scope.PLAYBOOK, playbook_id=execution.playbook_id)
    if execution.gateway_id is not None:
        scope |= Q(scope=Scope.GATEWAY, gateway_id=execution.gateway_id)
    if tags:
        scope |= Q(scope=Scope.TAG, gateway_tag__in=[str(tag) for tag in tags])
    rules = Rule.objects.filter(team_id=execution.team_id, enabled=True, trigger__in=triggers)
    return list(rules.filter(scope).prefetch_related("destinations").order_by("pk"))
