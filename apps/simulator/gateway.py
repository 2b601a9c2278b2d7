"""One simulated gateway: configuration, clock, state machine and every in-memory store."""

import hashlib
import math
import threading

from .auth import Auth
from .clock import Clock
from .config import SimConfig
from .diagnostics import Diagnostics
from .faults import Faults
from .logs import GatewayLog
from .modules import ModuleStore
from .projects import ProjectStore
from .resources import ResourceStore
from .state import Lifecycle, Phase
from .tags import TagStore

STEPS = ("edition", "activated", "authSetup", "connections", "eula")


class Gateway:
    def __init__(self, config: SimConfig):
        self.config = config
        self.lock = threading.RLock()
        self.clock = Clock(config.time_scale)
        self.log = GatewayLog(self.clock.epoch_ms)
        self.lifecycle = Lifecycle(self._on_running)
        self.modules = ModuleStore(config.version, config.build, config.allow_unsigned_modules)
        self.projects = ProjectStore(config.projects)
        self.tags = TagStore(config.tags)
        self.resources = ResourceStore(config.tokens)
        self.gateway_id = hashlib.sha1(
            config.gateway_name.encode(), usedforsecurity=False
        ).hexdigest()[:12]
        self.auth = Auth(
            {config.admin_username: config.admin_password}, self.resources, self.gateway_id
        )
        self.faults = Faults()
        self.diagnostics = Diagnostics()
        # A soft restart restarts the gateway inside the same Java process.
        self.process_id = int(self.gateway_id[:6], 16) % 60000 + 1000
        self.trial_base = 0.0
        self.bootstrap_done: set[str] = set()
        self.auth_ready_at = 0.0
        self.log.add("gateway.Startup", f"Ignition gateway simulator {config.full_version}")
        if config.commissioned:
            self.bootstrap_done.update(STEPS)
            self._boot(config.cold_start_s)

    # --- state ------------------------------------------------------------------------------
    @property
    def phase(self) -> Phase:
        return self.lifecycle.phase

    def tick(self) -> Phase:
        with self.lock:
            self.lifecycle.tick(self.clock.now())
            return self.lifecycle.phase

    def _boot(self, starting_s: float) -> None:
        if starting_s > 0:
            self.lifecycle.schedule([(Phase.STARTING, starting_s)], self.clock.now())
        else:
            self.lifecycle.settle(Phase.RUNNING, self.clock.now())

    def _on_running(self, at: float) -> None:
        self.modules.apply_restart(self.clock.epoch_ms(at))
        self.auth_ready_at = at + self.config.auth_warmup_s
        self.log.add("gateway.Startup", "Gateway started; state RUNNING")

    def restart(self, style: str | None = None) -> bool:
        """Start a restart (spec 9.2); ``False`` when one is already under way."""
        with self.lock:
            self.tick()
            if self.lifecycle.busy or self.phase is Phase.NEEDS_COMMISSIONING:
                return False
            c = self.config
            steps = [(Phase.STOPPING, c.stopping_s)]
            if self.phase is Phase.RUNNING:
                steps.insert(0, (Phase.RUNNING, c.grace_s))
            if (style or c.restart_style) == "hard":
                steps.append((Phase.DOWN, c.down_s))
            steps.append((Phase.STARTING, c.starting_s))
            if self.phase is Phase.FAULTED:
                steps = [(Phase.STARTING, c.starting_s)]
            self.lifecycle.restarts += 1
            self.lifecycle.schedule(steps, self.clock.now())
            self.log.add("gateway.Restart", "Gateway restart requested")
            return True

    def set_phase(self, phase: Phase) -> None:
        """Control surface: jump to a state; timed states continue as in a restart."""
        with self.lock:
            now, c = self.clock.now(), self.config
            follow = {
                Phase.STARTING: [(Phase.STARTING, c.starting_s)],
                Phase.STOPPING: [(Phase.STOPPING, c.stopping_s), (Phase.STARTING, c.starting_s)],
                Phase.DOWN: [(Phase.DOWN, c.down_s), (Phase.STARTING, c.starting_s)],
            }
            if phase in follow:
                self.lifecycle.schedule(follow[phase], now)
            else:
                self.lifecycle.settle(phase, now)
            if phase is Phase.NEEDS_COMMISSIONING:
                self.bootstrap_done.clear()
            if phase is Phase.FAULTED:
                self.log.add("gateway.Context", "Gateway FAULTED", "ERROR")

    def commission(self) -> None:
        with self.lock:
            self.bootstrap_done.update(STEPS)
            self.lifecycle.schedule([(Phase.STARTING, self.config.starting_s)], self.clock.now())

    @property
    def auth_warming_up(self) -> bool:
        return self.phase is Phase.RUNNING and self.clock.now() < self.auth_ready_at

    def uptime_ms(self) -> int:
        since = self.lifecycle.running_since
        return 0 if since is None else int((self.clock.now() - since) * 1000)

    # --- trial ------------------------------------------------------------------------------
    @property
    def trial_seconds_left(self) -> int:
        self.tick()
        used = self.lifecycle.running_total - self.trial_base
        return max(0, math.ceil(self.config.trial_length_s - used))

    @property
    def trial_expired(self) -> bool:
        return self.trial_seconds_left <= 0

    def reset_trial(self) -> None:
        self.tick()
        self.trial_base = self.lifecycle.running_total
        self.log.add("gateway.Licensing", "Trial period reset")

    def expire_trial(self) -> None:
        self.tick()
        self.trial_base = self.lifecycle.running_total - self.config.trial_length_s

    def trial_body(self) -> dict:
        left = self.trial_seconds_left
        return {
            "licenseMode": "Trial",
            "trialState": "AllInDemo",
            "trialSecondsLeft": left,
            "expired": left <= 0,
            "emergency": False,
            "emergencySecondsLeft": 0,
            "development": False,
            "developmentSecondsLeft": 0,
        }
