"""Playbooks for engine tests, written as YAML the way users write them."""

import textwrap

from apps.executions.models import Artifact
from tests.playbooks.factories import PlaybookFactory

# One step that always works, for tests that need a run but not what it does.
HELLO_STEP = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: hello}
"""


def steps_yaml(steps: str, *, parameters: str = "", name: str = "Engine test") -> str:
    return (
        f"name: {name}\nversion: '1.0'\ndescription: For the engine tests.\ndomain: gateway\n"
        + (
            f"parameters:\n{textwrap.indent(textwrap.dedent(parameters), '  ')}"
            if parameters
            else ""
        )
        + f"steps:\n{textwrap.indent(textwrap.dedent(steps), '  ')}"
    )


def playbook(
    team,
    steps: str,
    *,
    parameters: str = "",
    path: str | None = None,
    verified=True,
    name="Engine test",
):
    kwargs = {"path": path} if path else {}
    return PlaybookFactory(
        team=team,
        name=name,
        verified=verified,
        yaml_text=steps_yaml(steps, parameters=parameters, name=name),
        **kwargs,
    )


def artifact_row(execution, name, kind, *, size, content_type="", step=None):
    """An artifact row of ``execution`` named ``name`` (its file is the caller's business)."""
    return Artifact.objects.create(
        execution=execution,
        step_run=step,
        kind=kind,
        name=name,
        path=f"{execution.pk}/{name}",
        content_type=content_type,
        size=size,
    )
