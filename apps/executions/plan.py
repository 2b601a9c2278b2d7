"""The plan of a run: one ``StepRun`` row per step, nested children included, made at launch."""

from collections.abc import Iterator

from apps.accounts.models import Team
from apps.executions.children import child_playbook_load
from apps.executions.models import Execution, StepRun
from apps.playbooks.templating import has_template


def plan_create(
    execution: Execution, steps: list[dict], *, stack: tuple[str, ...]
) -> list[StepRun]:
    """Create the pending rows of ``steps`` (and of literal ``playbook.run`` children)."""
    rows: list[StepRun] = []
    _plan(execution.team, steps, rows, parent=None, prefix="", stack=stack)
    for position, row in enumerate(rows):
        row.execution, row.position = execution, position
    created = StepRun.objects.bulk_create(rows)
    _link_parents(created)
    return created


def plan_children(execution: Execution, parent: StepRun, steps: list[dict], stack) -> list[StepRun]:
    """Create (or reuse) the rows of a child playbook when its parent step starts."""
    existing = list(parent.children.order_by("position"))
    if existing:
        return existing
    rows: list[StepRun] = []
    _plan(execution.team, steps, rows, parent=parent, prefix=f"{parent.path}.", stack=stack)
    last = StepRun.objects.filter(execution=execution).order_by("-position").first()
    start = last.position + 1 if last else 0
    for offset, row in enumerate(rows):
        row.execution, row.position = execution, start + offset
    created = StepRun.objects.bulk_create(rows)
    _link_parents(created)
    return [row for row in created if row.parent_id == parent.pk]


def _plan(team: Team, steps, rows, *, parent, prefix: str, stack) -> None:
    for index, step in enumerate(steps):
        row = StepRun(
            path=f"{prefix}{index}",
            step_id=step["id"],
            name=step.get("name", ""),
            type=step["type"],
            parent=parent,
        )
        rows.append(row)
        child_path = literal_child_path(step)
        if child_path is not None:
            child = child_playbook_load(team, child_path, stack=stack)
            # Unsaved parents cannot be referenced yet; _link_parents connects them by path.
            _plan(
                team,
                child.steps,
                rows,
                parent=None,
                prefix=f"{row.path}.",
                stack=(*stack, child_path),
            )


def plan_steps(team: Team, steps: list[dict], *, stack: tuple[str, ...]) -> Iterator[dict]:
    """The planned steps as written: ``steps`` and, after each literal ``playbook.run``, the
    steps of its child (the same walk ``plan_create`` makes)."""
    for step in steps:
        yield step
        child_path = literal_child_path(step)
        if child_path is not None:
            child = child_playbook_load(team, child_path, stack=stack)
            yield from plan_steps(team, child.steps, stack=(*stack, child_path))


def literal_child_path(step: dict) -> str | None:
    """The child path of a ``playbook.run`` step when it is written out, not templated."""
    if step["type"] != "playbook.run":
        return None
    path = step.get("parameters", {}).get("playbook")
    if not isinstance(path, str) or has_template(path):
        return None
    return path


def _link_parents(rows: list[StepRun]) -> None:
    """``bulk_create`` saved parents first; point children at the saved parent rows."""
    by_path = {row.path: row for row in rows}
    children = []
    for row in rows:
        if "." in row.path and (row.parent_id is None):
            parent = by_path.get(row.path.rsplit(".", 1)[0])
            if parent is not None:
                row.parent = parent
                children.append(row)
    if children:
        StepRun.objects.bulk_update(children, ["parent"])
