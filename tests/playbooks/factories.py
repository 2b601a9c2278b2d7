import factory

from apps.playbooks.loader import load_playbook
from apps.playbooks.models import Playbook, PlaybookOrigin, Preset
from apps.playbooks.services._common import store_version
from tests.accounts.factories import TeamFactory


def playbook_yaml(name: str = "Check gateway", *, message: str = "Hello", extra: str = "") -> str:
    """A small valid playbook; ``extra`` is appended to the step's parameters block."""
    return f"""# A comment that survives verbatim exports
name: {name}
version: "1.0"
description: Logs a line.
domain: gateway
parameters:
  - name: gateway_url
    type: string
    default: http://localhost:8088
  - name: login
    type: credential
    required: false
  - name: retries
    type: integer
    default: 1
steps:
  - id: hello
    name: Say hello
    type: utility.log
    parameters:
      message: "{message} {{{{ parameter.gateway_url }}}}"{extra}
"""


class PlaybookFactory(factory.django.DjangoModelFactory):
    """A playbook with one stored version (revision 1, written by the library sync)."""

    class Meta:
        model = Playbook
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    path = factory.Sequence(lambda n: f"gateway/playbook_{n}.yaml")
    name = "Check gateway"
    domain = "gateway"
    origin = PlaybookOrigin.USER

    @factory.post_generation
    def yaml_text(self, create, extracted, **kwargs):
        if create:
            text = extracted or playbook_yaml(self.name)
            store_version(self, text=text, loaded=load_playbook(text), actor=None, change_note="")


class PresetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preset

    playbook = factory.SubFactory(PlaybookFactory)
    name = factory.Sequence(lambda n: f"preset-{n}")
    values = factory.LazyFunction(dict)
    shared = True
