"""Keep Playwright's event loop out of the engine's way in the one thread they share.

Playwright's sync API marks its event loop as *running* in the calling thread between calls
(``playwright/_impl/_greenlets.py``). Django then treats that thread as async code and refuses
ORM calls (``SynchronousOnlyOperation``), and Channels' ``async_to_sync`` refuses to run. So the
loop is marked only while browser code runs: ``playwright_side`` marks it, ``engine_side``
clears it, and ``EngineContext`` wraps every call from browser code back into the engine
(``check``, ``log``, ``save_artifact``, ``sleep``).
"""

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class LoopSwitch:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    @staticmethod
    def release() -> None:
        """Leave the thread to the engine: no loop marked as running."""
        asyncio._set_running_loop(None)  # noqa: SLF001

    def adopt(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Take Playwright's loop: the one a fresh ``sync_playwright().start()`` left marked as
        running, or a kept driver's ``loop``, marked as running again."""
        if loop is None:
            self.loop = asyncio._get_running_loop()  # noqa: SLF001 - see the module docstring
        else:
            self.loop = loop
            asyncio._set_running_loop(loop)  # noqa: SLF001

    @contextmanager
    def playwright_side(self) -> Iterator[None]:
        asyncio._set_running_loop(self.loop)  # noqa: SLF001
        try:
            yield
        finally:
            asyncio._set_running_loop(None)  # noqa: SLF001

    @contextmanager
    def engine_side(self) -> Iterator[None]:
        asyncio._set_running_loop(None)  # noqa: SLF001
        try:
            yield
        finally:
            asyncio._set_running_loop(self.loop)  # noqa: SLF001

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` made callable from engine code (idler, snapshotter, live commands)."""

        def on_playwright_side(*args: Any, **kwargs: Any) -> Any:
            with self.playwright_side():
                return function(*args, **kwargs)

        return on_playwright_side


class EngineContext:
    """A step's context as browser code sees it: calls into the engine leave the loop first."""

    def __init__(self, context, switch: LoopSwitch) -> None:
        self._context = context
        self._switch = switch

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def check(self) -> None:
        with self._switch.engine_side():
            self._context.check()

    def sleep(self, seconds: float) -> None:
        with self._switch.engine_side():
            self._context.sleep(seconds)

    def log(self, message: str, level: str = "info") -> None:
        with self._switch.engine_side():
            self._context.log(message, level)

    def save_artifact(self, *args: Any, **kwargs: Any) -> Any:
        with self._switch.engine_side():
            return self._context.save_artifact(*args, **kwargs)
