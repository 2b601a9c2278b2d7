"""Where library files are named: launch parameters (pinned to a version at launch) and the
stored parameters of schedules (which keep a file from being deleted)."""

from typing import Any

from apps.accounts.models import Team
from apps.files.models import LibraryFile
from apps.files.reference import is_reference
from apps.schedules.models import Schedule


def library_files_pin(definitions: list[dict], typed: dict[str, Any], team: Team) -> list[str]:
    """Pin each library reference of ``typed`` to ``{"file": id, "version": n}`` (the latest
    version unless one is named), in place; return a problem for each that names no file of
    ``team`` or no version of it."""
    problems = []
    for definition in definitions:
        name = definition["name"]
        value = typed.get(name)
        if definition.get("type") != "file" or not is_reference(value):
            continue
        found, problem = _file_of_team(value["file"], team)
        if problem:
            problems.append(f"'{name}': {problem}")
            continue
        numbers = list(found.versions.values_list("number", flat=True))
        number = value.get("version", max(numbers, default=None))
        if number not in numbers:
            last = f"the latest is {max(numbers)}" if numbers else "it has none"
            problems.append(f"'{name}': file {found.name!r} has no version {number} ({last})")
            continue
        typed[name] = {"file": found.pk, "version": number}
    return problems


def library_files_check(definitions: list[dict], values: dict[str, Any], team: Team) -> list[str]:
    """The problems ``library_files_pin`` would find in ``values``, which stay as they are (a
    schedule keeps naming the latest version, pinned at each launch)."""
    return library_files_pin(definitions, dict(values), team)


def _file_of_team(chosen: int | str, team: Team) -> tuple[LibraryFile | None, str]:
    if isinstance(chosen, str):
        found = LibraryFile.objects.filter(team=team, name=chosen).first()
        return found, "" if found else f"no library file named {chosen!r} in team {team}"
    found = LibraryFile.objects.filter(pk=chosen).first()
    if found is None:
        return None, f"no library file {chosen}"
    if found.team_id != team.pk:
        return None, f"library file {chosen} belongs to another team; choose a file of {team}"
    return found, ""


def schedules_using(library_file: LibraryFile) -> list[Schedule]:
    """The team's schedules whose parameters name ``library_file`` (by id or by name)."""
    names = (library_file.pk, library_file.name)
    return [
        schedule
        for schedule in Schedule.objects.filter(team_id=library_file.team_id).order_by("name")
        if any(
            is_reference(value) and value["file"] in names
            for value in (schedule.parameters or {}).values()
        )
    ]
