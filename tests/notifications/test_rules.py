"""Which rules a run's end meets: by trigger (status) and by scope (playbook, schedule, gateway,
gateway tag), never another team's; and the rules' validation."""

import pytest

from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from apps.notifications.delivery import run_deliveries
from apps.notifications.selectors import rules_matching
from apps.notifications.services import NotificationInvalidError, destination_create, rule_create
from apps.schedules.models import Schedule
from tests.executions.factories import HELLO_STEP, playbook
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import ScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(team):
    return playbook(team, HELLO_STEP, name="Backup")


@pytest.fixture
def other_book(team):
    return playbook(team, HELLO_STEP, name="FAT", path="gateway/fat.yaml")


@pytest.fixture
def tagged(team):
    return GatewayFactory(team=team, name="Line 1 gateway", tags=["line-1", "production"])


def ended(book, operator, status, *, gateway=None) -> Execution:
    execution = execution_start(book, actor=operator, gateway=gateway)
    Execution.objects.filter(pk=execution.pk).update(status=status)
    return Execution.objects.select_related("gateway").get(pk=execution.pk)


def names(execution) -> list[str]:
    return sorted(rule.name for rule in rules_matching(execution))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("completed", ["any", "success"]),
        ("failed", ["any", "failure"]),
        ("error", ["any", "failure"]),
        ("cancelled", ["any"]),
        ("running", []),
    ],
)
def test_the_trigger_follows_the_final_status(book, operator, hook, make_rule, status, expected):
    for trigger in ("failure", "success", "any"):
        make_rule(hook, name=trigger, trigger=trigger)

    assert names(ended(book, operator, status)) == expected


def test_scopes_choose_playbook_gateway_tag_and_schedule(
    team, book, other_book, tagged, operator, editor, hook, make_rule
):
    untagged = GatewayFactory(team=team, name="Lab", tags=[])
    schedule = ScheduleFactory(team=team, playbook=book, name="Nightly", created_by=editor)
    make_rule(hook, name="all", scope="all", trigger="any")
    make_rule(hook, name="backup", scope="playbook", playbook=book, trigger="any")
    make_rule(hook, name="line-1", scope="gateway", gateway=tagged, trigger="any")
    make_rule(hook, name="prod", scope="tag", gateway_tag="production", trigger="any")
    make_rule(hook, name="nightly", scope="schedule", schedule=schedule, trigger="any")

    backup_on_line = ended(book, operator, "failed", gateway=tagged)
    fat_on_lab = ended(other_book, operator, "failed", gateway=untagged)
    scheduled = ended(book, operator, "failed")
    Schedule.objects.filter(pk=schedule.pk).update(last_execution=scheduled)

    assert names(backup_on_line) == ["all", "backup", "line-1", "prod"]
    assert names(fat_on_lab) == ["all"]
    assert names(scheduled) == ["all", "backup", "nightly"]


def test_disabled_rules_and_other_teams_rules_are_not_met(
    book, operator, other_team, outsider, hook, make_rule
):
    make_rule(hook, name="off", enabled=False, trigger="any")
    theirs = destination_create(
        team=other_team, actor=outsider, name="Theirs", channel="email", recipients=["a@b.example"]
    )
    rule_create(team=other_team, actor=outsider, destinations=[theirs], name="all", trigger="any")

    assert names(ended(book, operator, "failed")) == []


def test_a_destination_gets_one_message_however_many_rules_send_there(
    book, operator, hook, mailbox, make_rule
):
    first = make_rule(hook, mailbox, name="first", trigger="any")
    make_rule(hook, name="second", trigger="failure")

    summary, pairs = run_deliveries(ended(book, operator, "failed").pk)

    assert sorted(pairs) == sorted([(hook.pk, first.pk), (mailbox.pk, first.pk)])
    assert summary["status"] == "failed"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"scope": "playbook"}, "playbook"),
        ({"scope": "gateway"}, "gateway"),
        ({"scope": "schedule"}, "schedule"),
        ({"scope": "tag", "gateway_tag": "  "}, "gateway_tag"),
        ({"trigger": "sometimes"}, "trigger"),
        ({"name": ""}, "name"),
    ],
)
def test_an_incomplete_rule_is_refused_field_by_field(team, editor, hook, values, field):
    with pytest.raises(NotificationInvalidError) as refused:
        rule_create(team=team, actor=editor, destinations=[hook], **{"name": "r", **values})

    assert field in refused.value.errors


def test_a_rule_cannot_point_at_another_teams_objects(team, editor, other_team, hook):
    theirs = GatewayFactory(team=other_team)

    with pytest.raises(NotificationInvalidError) as refused:
        rule_create(
            team=team, actor=editor, destinations=[hook], name="r", scope="gateway", gateway=theirs
        )

    assert refused.value.errors == {"gateway": ["This gateway belongs to another team."]}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"channel": "email", "recipients": ["not an address"]}, "recipients"),
        ({"channel": "email", "recipients": []}, "recipients"),
        ({"channel": "webhook", "url": "ftp://x.example/", "secret": "s" * 16}, "url"),
        ({"channel": "webhook", "url": "https://x.example/"}, "secret"),
        ({"channel": "webhook", "url": "https://x.example/", "secret": "short"}, "secret"),
    ],
)
def test_an_invalid_destination_is_refused(team, editor, values, field):
    with pytest.raises(NotificationInvalidError) as refused:
        destination_create(team=team, actor=editor, name="d", **values)

    assert field in refused.value.errors
