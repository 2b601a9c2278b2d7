"""Where a step's input files may come from: its run's own folder, or folders an admin allows.

A file parameter (``file``, ``body_file``, ``file_path``, ``launcher_file`` ...) names either a
file of the run's artifact folder, by a relative name (a file an earlier step downloaded, say),
or, by an absolute path, a file inside one of the worker's ``WORKER_INPUT_DIRS``. Paths are
checked after following every symlink, so a link in the run's folder cannot lead out of it;
``..`` segments are refused outright. Everything else on the worker (the data folder with the
database and keys, other runs' folders, the code) is out of reach. The check runs before the
step does anything, so a refused file never reaches a gateway or a page.
"""

from pathlib import Path, PurePath
from typing import Any

from apps.steps.context import StepContext
from apps.steps.errors import StepError
from apps.steps.registry import get_step_type
from apps.steps.schema import ParamType


def _refused(message: str) -> StepError:
    return StepError(message, retryable=False)


def _where_files_come_from(allowed: tuple[Path, ...]) -> str:
    folders = ", ".join(str(folder) for folder in allowed)
    extra = f"or an absolute path inside {folders}" if folders else "no other folder is allowed"
    return (
        "Files come from the run's own folder (a relative name, e.g. a file an earlier step "
        f"downloaded); {extra} (WORKER_INPUT_DIRS, set by the administrator)"
    )


def input_path(value: Any, name: str, run_folder: Path, allowed: tuple[Path, ...] = ()) -> Path:
    """The real path of the existing file ``value`` names, checked against the rule above.

    ``name`` is the parameter's name, for the message. Raises a non-retryable ``StepError``.
    """
    text = str(value or "").strip()
    if not text:
        raise _refused(f"'{name}' is empty: give the file to use")
    if ".." in PurePath(text).parts:
        raise _refused(
            f"'{name}' must not contain '..' ({text!r}). {_where_files_come_from(allowed)}"
        )
    written = Path(text)
    real = (written if written.is_absolute() else Path(run_folder) / written).resolve()
    roots = (Path(run_folder).resolve(), *(Path(folder).resolve() for folder in allowed))
    if not any(real.is_relative_to(root) for root in roots):
        where = "is outside" if written.is_absolute() else "leads (through a link) outside"
        raise _refused(
            f"'{name}' {where} this run's folder: {text!r}. {_where_files_come_from(allowed)}"
        )
    if not real.is_file():
        where = "on this worker" if written.is_absolute() else "in this run's folder"
        raise _refused(f"'{name}': no file {text!r} {where}")
    return real


def run_file(context: StepContext, name: str) -> Path | None:
    """The real path of file ``name`` of the run's own folder; ``None`` if none is there."""
    try:
        return input_path(name, "name", context.artifacts_dir)
    except StepError:
        return None


def input_file(context: StepContext, value: Any, name: str) -> Path:
    """``input_path`` for the run of ``context`` (its folder and the allowed input folders)."""
    return input_path(value, name, context.artifacts_dir, tuple(context.input_dirs))


def resolve_files(context: StepContext, step_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each file parameter of ``step_type`` replaced by its checked real path."""
    for param in get_step_type(step_type).params:
        if param.type is ParamType.FILE and values.get(param.name) is not None:
            values[param.name] = str(input_file(context, values[param.name], param.name))
    return values
