"""Schedules for tests: rows made directly, or through the service with a beat entry."""

import factory

from apps.schedules.models import Schedule, ScheduleKind
from apps.schedules.services import schedule_create
from tests.executions.factories import playbook
from tests.playbooks.factories import PlaybookFactory

PARAMETERS = """
    - name: gateway_url
      type: string
      required: true
    - name: login
      type: credential
      required: false
    - name: retries
      type: integer
      default: 1
    - name: note
      type: string
      required: false
"""
STEP = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: "{{ parameter.gateway_url }}"}
"""


def scheduled_playbook(team, *, name="Nightly check"):
    """A playbook with a required gateway_url, an optional credential and an integer."""
    return playbook(team, STEP, parameters=PARAMETERS, name=name)


def make_schedule(playbook, actor, **values):
    """A schedule saved by ``schedule_create`` (so with its beat entry); daily by default."""
    values = {
        "name": "Nightly",
        "kind": ScheduleKind.DAILY,
        "time_of_day": "06:30",
        "parameters": {"gateway_url": "http://gw:8088"},
        **values,
    }
    return schedule_create(playbook=playbook, actor=actor, **values)


class ScheduleFactory(factory.django.DjangoModelFactory):
    """A schedule row without a beat entry (for launch tests that call the service directly)."""

    class Meta:
        model = Schedule

    playbook = factory.SubFactory(PlaybookFactory)
    team = factory.SelfAttribute("playbook.team")
    name = factory.Sequence(lambda n: f"schedule-{n}")
    kind = ScheduleKind.INTERVAL
    interval_minutes = 60
    time_zone = "UTC"
