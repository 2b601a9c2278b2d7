"""Serve a simulator with uvicorn; a hard restart really closes the listening socket."""

import asyncio
import contextlib
import logging
import signal
import threading

import uvicorn

from .gate import SimulatedResetError
from .state import Phase

WATCH_INTERVAL_S = 0.02


class SimulatorServer(uvicorn.Server):
    """``uvicorn.Server`` that stops listening while the gateway is DOWN (spec 9.2).

    While DOWN, new connections are refused; requests on kept-alive connections are dropped
    by the gate middleware. The socket is opened again when the gateway leaves DOWN.
    """

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self._watcher: asyncio.Task | None = None
        self.listening = True

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        self._watcher = asyncio.create_task(self._watch())

    async def shutdown(self, sockets=None) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        await super().shutdown(sockets=sockets)

    @contextlib.contextmanager
    def capture_signals(self):
        """Like uvicorn's, minus re-raising the signal afterwards: Ctrl-C exits with code 0."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        originals = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)

    def _gateway(self):
        return self.config.loaded_app_state_owner.state.gateway

    async def _watch(self) -> None:
        while not self.should_exit:
            down = self._gateway().tick() is Phase.DOWN
            if down and self.listening:
                for server in self.servers:
                    server.close()
                self.listening = False
            elif not down and not self.listening:
                await self._listen()
            await asyncio.sleep(WATCH_INTERVAL_S)

    async def _listen(self) -> None:
        config = self.config

        def create_protocol():
            return config.http_protocol_class(
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        loop = asyncio.get_running_loop()
        server = await loop.create_server(create_protocol, host=config.host, port=config.port)
        self.servers = [server]
        self.listening = True


class DropSimulatedResets(logging.Filter):
    """Injected connection resets are intended; keep their tracebacks out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedResetError))


def make_server(app, host: str, port: int, log_level: str = "info") -> SimulatorServer:
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, lifespan="off", access_log=False
    )
    config.loaded_app_state_owner = app
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, DropSimulatedResets) for f in error_log.filters):
        error_log.addFilter(DropSimulatedResets())
    return SimulatorServer(config)
