"""Injected faults for client robustness tests (spec 9.1 ``latency_ms``/``fault``)."""

import asyncio
import contextlib
import fnmatch
import itertools
from dataclasses import asdict, dataclass

KINDS = ("500", "503", "429", "hang", "reset", "latency")


class FaultError(ValueError):
    pass


@dataclass
class Fault:
    id: int
    route: str
    kind: str
    latency_ms: int = 0
    seconds: float = 600.0
    remaining: int | None = None

    def matches(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.route) or path.startswith(self.route.rstrip("*"))


class Faults:
    """Rules matched by path glob or prefix; a ``count`` makes a rule fire that many times."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self._ids = itertools.count(1)
        self._release: asyncio.Event | None = None

    def add(self, data: dict) -> Fault:
        kind = str(data.get("kind", ""))
        route = str(data.get("route", ""))
        if kind not in KINDS or not route.startswith("/"):
            raise FaultError(f"a fault needs a route starting with / and a kind in {KINDS}")
        fault = Fault(
            next(self._ids),
            route,
            kind,
            latency_ms=int(data.get("latency_ms", 0)),
            seconds=float(data.get("seconds", 600.0)),
            remaining=int(data["count"]) if data.get("count") is not None else None,
        )
        self.rules.append(fault)
        return fault

    def clear(self) -> None:
        self.rules.clear()
        if self._release is not None:
            self._release.set()
        self._release = None

    def listing(self) -> list[dict]:
        return [asdict(rule) for rule in self.rules]

    def take(self, path: str) -> tuple[int, Fault | None]:
        """Latency to add (ms) and the first non-latency fault for ``path``; counts go down."""
        latency, chosen = 0, None
        for rule in list(self.rules):
            if not rule.matches(path) or (rule.kind != "latency" and chosen is not None):
                continue
            if rule.kind == "latency":
                latency += rule.latency_ms
            else:
                chosen = rule
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.rules.remove(rule)
        return latency, chosen

    async def hang(self, seconds: float) -> None:
        """Block until the faults are cleared or ``seconds`` (real time) pass."""
        if self._release is None:
            self._release = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._release.wait(), timeout=seconds)
