"""docs/playbooks.md is generated from the catalogue and cannot drift from it."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.playbooks.loader import load_playbook
from apps.steps.reference import render_playbooks_doc, render_step
from apps.steps.registry import builtin_step_types
from apps.steps.schema import Param, ParamType, StepType


def test_committed_doc_is_up_to_date():
    out = StringIO()

    call_command("generate_step_docs", "--check", stdout=out)

    assert out.getvalue().endswith("is up to date.\n")


def test_check_fails_on_a_stale_file(tmp_path):
    target = tmp_path / "playbooks.md"
    target.write_text("old", encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("generate_step_docs", "--check", "--output", str(target))

    assert str(excinfo.value) == (
        f"{target} is out of date with the step catalogue; run 'python manage.py "
        "generate_step_docs' and commit the result."
    )
    assert target.read_text(encoding="utf-8") == "old"


def test_check_fails_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError):
        call_command("generate_step_docs", "--check", "--output", str(tmp_path / "none.md"))


def test_writes_then_reports_up_to_date(tmp_path):
    target = tmp_path / "docs" / "playbooks.md"
    first, second = StringIO(), StringIO()

    call_command("generate_step_docs", "--output", str(target), stdout=first)
    call_command("generate_step_docs", "--output", str(target), stdout=second)

    assert first.getvalue() == f"Wrote {target}.\n"
    assert second.getvalue() == f"{target} is already up to date.\n"
    assert target.read_text(encoding="utf-8") == render_playbooks_doc()


def test_every_step_type_and_parameter_is_documented():
    doc = render_playbooks_doc()

    for step_type in builtin_step_types():
        section = doc.split(f"#### `{step_type.id}`\n", 1)[1].split("\n#### ", 1)[0]
        for param in step_type.params:
            assert f"| `{param.name}` |" in section, (step_type.id, param.name)
    assert "<!-- step-" not in doc


def test_format_example_in_the_doc_loads():
    doc = render_playbooks_doc()
    example = re.search(r"```yaml\n(name: .*?)```", doc, re.DOTALL).group(1)

    playbook = load_playbook(example, credential_names=set())

    assert [step["id"] for step in playbook.steps] == ["open", "username"]


def test_renders_plugin_families_and_special_declarations():
    step_type = StepType(
        id="acme.blink",
        family="acme",
        title="Blink",
        description="Blink | flash.",
        params=(
            Param(
                "mode",
                ParamType.STRING,
                default="fast",
                enum=("fast", "slow"),
                secret=True,
                description="How.",
            ),
            Param(
                "ids",
                ParamType.LIST,
                items=ParamType.INTEGER,
                unit="s",
                templated=False,
                description="Ids.",
            ),
        ),
        outputs=(),
        accepts_extra_params=True,
        unavailable="Gone",
        one_of=(("mode", "ids"),),
        example={"mode": "slow"},
    )

    doc = render_playbooks_doc([step_type])
    section = render_step(step_type)

    assert "### acme steps (plugin)" in doc
    assert "| [`acme.blink`](#acmeblink) | Blink |" in doc
    assert "**Not available:** Gone." in section
    assert (
        "| `mode` | string: `fast`, `slow` | no | `fast` | How. Secret: masked in logs. |"
        in section
    )
    assert "| `ids` | list of integer (s) | no |  | Ids. No templates. |" in section
    assert "| *any other key* | any | no | | Passed to the child as a parameter. |" in section
    assert "Give at least one of `mode` or `ids`." in section
    assert "Outputs: none." in section
    assert '    mode: "slow"' in section
    assert "Blink \\| flash." not in section  # descriptions outside tables are not escaped


def test_parameterless_dynamic_step():
    section = render_step(StepType(id="x.y", family="x", title="T", description="D.", outputs=None))

    assert "No parameters." in section
    assert "Outputs: dynamic (see the description)." in section
