"""The registry of step types: the explicit built-in catalogue plus third-party plugins.

A plugin distribution declares entry points in the group ``ignition_portal.steps``. Each entry
point loads to a ``StepType``, an iterable of them, or a callable returning either. A plugin
that fails to import, returns something else, reuses an existing id, breaks the schema rules or
names a handler that does not import is reported (``plugin_problems()`` and the log) and
skipped; it never breaks the registry. Registered plugin types run like built-ins:
``handler_for`` imports the handler a declaration names.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from apps.steps.catalogue import BUILTIN_MODULES
from apps.steps.errors import NoHandlerError
from apps.steps.schema import StepType

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ignition_portal.steps"


class UnknownStepTypeError(LookupError):
    """No step type has the requested id; the message names the closest ids."""

    def __init__(self, step_type: str, known: Iterable[str]) -> None:
        self.step_type = step_type
        self.suggestions = suggest(step_type, known)
        super().__init__(unknown_step_type_message(step_type, known))


def suggest(word: str, known: Iterable[str]) -> list[str]:
    """Return up to three entries of ``known`` that look like ``word``, best first."""
    return difflib.get_close_matches(word, sorted(known), n=3, cutoff=0.6)


def unknown_step_type_message(step_type: str, known: Iterable[str]) -> str:
    """Explain that ``step_type`` does not exist and say what to write instead."""
    known = sorted(known)
    close = suggest(step_type, known)
    if close:
        advice = "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    else:
        families = sorted({k.split(".", 1)[0] for k in known})
        advice = "step types are <family>.<action> with family one of " + ", ".join(families)
    return f"Unknown step type '{step_type}': {advice} (docs/steps.md lists every type)"


@dataclass(frozen=True)
class PluginProblem:
    """Why an entry point of a third-party distribution was not registered."""

    entry_point: str
    distribution: str | None
    message: str

    def __str__(self) -> str:
        origin = f" (distribution {self.distribution})" if self.distribution else ""
        return f"Step plugin '{self.entry_point}'{origin} skipped: {self.message}"


class StepRegistry:
    """Step types by id, built from built-in modules and entry points."""

    def __init__(self) -> None:
        self._types: dict[str, StepType] = {}
        self.problems: list[PluginProblem] = []

    def add_builtin_modules(self, module_names: Iterable[str]) -> None:
        """Register every ``STEP_TYPES`` entry of the given modules (duplicates are bugs)."""
        for module_name in module_names:
            for step_type in importlib.import_module(module_name).STEP_TYPES:
                if step_type.id in self._types:
                    raise ValueError(f"Built-in step type {step_type.id!r} declared twice")
                self._types[step_type.id] = step_type

    def add_entry_points(self, entry_points: Iterable[importlib.metadata.EntryPoint]) -> None:
        """Register the step types of each entry point, recording the ones that fail."""
        for entry_point in entry_points:
            distribution = getattr(getattr(entry_point, "dist", None), "name", None)
            try:
                step_types = _load_entry_point(entry_point)
                self._add_plugin_types(step_types)
            except Exception as exc:  # a broken plugin must never break the registry
                problem = PluginProblem(entry_point.name, distribution, _describe(exc))
                self.problems.append(problem)
                logger.error("%s", problem)

    def _add_plugin_types(self, step_types: list[StepType]) -> None:
        seen = set()
        for step_type in step_types:
            if step_type.id in self._types or step_type.id in seen:
                raise _PluginError(f"step type '{step_type.id}' is already registered")
            seen.add(step_type.id)
            if not step_type.composes and not step_type.unavailable:
                try:
                    handler_for(step_type)
                except NoHandlerError as exc:
                    raise _PluginError(str(exc)) from None
        for step_type in step_types:
            self._types[step_type.id] = step_type

    def get(self, step_type: str) -> StepType:
        """Return the step type ``step_type`` or raise ``UnknownStepTypeError``."""
        try:
            return self._types[step_type]
        except KeyError:
            raise UnknownStepTypeError(step_type, self._types) from None

    def all(self) -> list[StepType]:
        """Return every registered step type, sorted by id."""
        return [self._types[key] for key in sorted(self._types)]


class _PluginError(Exception):
    """A plugin returned something the registry cannot use."""


def _describe(exc: Exception) -> str:
    if isinstance(exc, _PluginError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _load_entry_point(entry_point: importlib.metadata.EntryPoint) -> list[StepType]:
    loaded = entry_point.load()
    if callable(loaded) and not isinstance(loaded, StepType):
        loaded = loaded()
    if isinstance(loaded, StepType):
        return [loaded]
    if isinstance(loaded, str | bytes) or not isinstance(loaded, Iterable):
        raise _PluginError(f"expected a StepType or a list of them, got {type(loaded).__name__}")
    items = list(loaded)
    wrong = [item for item in items if not isinstance(item, StepType)]
    if wrong:
        raise _PluginError(f"expected StepType objects, got {type(wrong[0]).__name__}")
    return items


def handler_for(step_type: StepType) -> Callable[..., Any]:
    """The function that runs ``step_type``; ``NoHandlerError`` when it cannot run here."""
    handler = step_type.handler
    if isinstance(handler, str):
        module_name, _, function_name = handler.rpartition(".")
        try:
            handler = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise NoHandlerError(
                f"Step type '{step_type.id}' cannot run: its handler {step_type.handler!r} "
                f"does not import ({type(exc).__name__}: {exc})."
            ) from exc
    if not callable(handler):
        reason = step_type.unavailable or "it names no handler"
        raise NoHandlerError(f"Step type '{step_type.id}' cannot run: {reason}.")
    return handler


def build_registry() -> StepRegistry:
    """Build a registry from the built-in catalogue and the installed entry points."""
    registry = StepRegistry()
    registry.add_builtin_modules(BUILTIN_MODULES)
    registry.add_entry_points(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
    return registry


_lock = threading.Lock()
_registry: StepRegistry | None = None


def get_registry() -> StepRegistry:
    """Return the process-wide registry, building it on first use."""
    global _registry  # one lazily built registry per process
    with _lock:
        if _registry is None:
            _registry = build_registry()
        return _registry


def reset_registry() -> None:
    """Forget the process-wide registry so the next call rebuilds it (tests, plugin installs)."""
    global _registry
    with _lock:
        _registry = None


def get_step_type(step_type: str) -> StepType:
    """Return the step type ``step_type``; ``UnknownStepTypeError`` names the closest ids."""
    return get_registry().get(step_type)


def untemplated_parameters(step_type: str) -> frozenset[str]:
    """Parameters of ``step_type`` that are never rendered (code such as a Python script),
    with the legacy keys that stand for them; empty for an unknown type."""
    try:
        declared = get_step_type(step_type)
    except UnknownStepTypeError:
        return frozenset()
    names = {p.name for p in declared.params if not p.templated}
    names |= {k.name for k in declared.legacy_params if k.replaces in names}
    return frozenset(names)


def builtin_step_types() -> list[StepType]:
    """Return the built-in step types only (no plugins), sorted by id."""
    registry = StepRegistry()
    registry.add_builtin_modules(BUILTIN_MODULES)
    return registry.all()


def all_step_types() -> list[StepType]:
    """Return every registered step type, sorted by id."""
    return get_registry().all()


def plugin_problems() -> list[PluginProblem]:
    """Return the plugins that could not be registered, with the reason."""
    return list(get_registry().problems)
