"""Where the ``playbook.run`` paths of an imported set resolve: the set's own files first.

``SetResolver.resolve`` is the loader's ``child_exists`` for the files of a set:

* the path of a set file → that file under the namespace (a warning says so, and names the
  team's playbook at the same path that is *not* used);
* a path already under the namespace → that set file;
* a path that matches set files only by file name → that file, unless it matches several or
  the team has a playbook at the path: then it is ambiguous, an error naming each candidate;
* any other path the team has → the team's playbook, with a warning;
* otherwise → not found.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from apps.accounts.models import Team
from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.playbooks.loader.children import ChildRef
from apps.playbooks.selectors import playbook_in_team, playbook_normalise_path
from apps.playbooks.templating import has_template


class SetResolver:
    def __init__(self, team: Team, prefix: str, files: dict) -> None:
        self.team = team
        self.prefix = prefix
        self.files = files  # path inside the set -> its outcome (text and, later, loaded)
        self._declared: dict[str, list[dict] | None] = {}

    def declared(self, relative: str) -> list[dict] | None:
        """The parameters a set file declares (None when it does not load on its own)."""
        if relative not in self._declared:
            outcome = self.files[relative]
            try:
                self._declared[relative] = load_playbook(outcome.text, lenient=True).parameters
            except PlaybookValidationError:
                self._declared[relative] = None
        return self._declared[relative]

    def resolve(self, written: str) -> ChildRef | None:
        path = playbook_normalise_path(written)
        if path.startswith(self.prefix) and path[len(self.prefix) :] in self.files:
            return ChildRef(written, self.declared(path[len(self.prefix) :]))
        team_playbook = playbook_in_team(self.team, path)
        if path in self.files:
            return self._to_set_file(written, path, team_playbook)
        same_name = sorted(
            f for f in self.files if PurePosixPath(f).name == PurePosixPath(path).name
        )
        if same_name and (len(same_name) > 1 or team_playbook is not None):
            return ChildRef(
                written, None, problem=self._ambiguous(written, same_name, team_playbook)
            )
        if same_name:
            return self._to_set_file(written, same_name[0], None)
        if team_playbook is not None:
            version = team_playbook.current_version
            note = (
                f"'{written}' is not a file of this set: it runs the team's "
                f"{team_playbook.get_origin_display().lower()} playbook '{path}'"
            )
            return ChildRef(written, version.parameters if version else None, note=note)
        return None

    def _to_set_file(self, written: str, relative: str, team_playbook) -> ChildRef:
        target = self.prefix + relative
        note = f"'{written}' is this set's file: it now reads '{target}'"
        if team_playbook is not None:
            note += f" (not the team's playbook '{team_playbook.path}')"
        return ChildRef(target, self.declared(relative), note=note)

    def _ambiguous(self, written: str, same_name: list[str], team_playbook) -> str:
        candidates = [f"this set's '{name}'" for name in same_name]
        if team_playbook is not None:
            candidates.append(f"the team's playbook '{team_playbook.path}'")
        return (
            f"'{written}' is ambiguous: it could be " + " or ".join(candidates) + ". Write the "
            "path of the one you mean (a set file's path inside the set)"
        )

    def children_of(self, loaded: LoadedPlaybook) -> list[str]:
        """The literal child paths of a loaded playbook, as written after resolution."""
        found = []
        for step in loaded.steps:
            path = step["parameters"].get("playbook") if step["type"] == "playbook.run" else None
            if isinstance(path, str) and not has_template(path):
                found.append(playbook_normalise_path(path))
        return found
