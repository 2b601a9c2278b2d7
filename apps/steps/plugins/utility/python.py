"""utility.python: run a script in a sandboxed, killable process with a time limit.

Disabled unless an administrator sets ``ALLOW_PYTHON_STEPS``. The script runs inside the
bubblewrap sandbox of ``python_sandbox`` (only its run folder, no secrets, no network unless the
step declares ``network: true`` and ``PYTHON_STEPS_NETWORK`` allows it); an administrator may
run scripts unsandboxed with ``PYTHON_STEPS_SANDBOX=off``, and each run then says so. Values
reach the script as JSON data on stdin. Lines printed as ``KEY=value`` become outputs;
``_output`` holds everything printed.
"""

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from apps.steps.errors import StepError
from apps.steps.params import parse
from apps.steps.plugins.utility.python_sandbox import (
    sandbox_problem,
    sandboxed_command,
    unsandboxed_command,
)

STEP_TYPE = "utility.python"
OUTPUT_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
DISABLED = (
    "Python steps are disabled on this installation: an administrator must set "
    "ALLOW_PYTHON_STEPS=true to allow them."
)
NO_NETWORK = (
    "it declares network: true, which this installation does not allow: an administrator "
    "must set PYTHON_STEPS_NETWORK=true, or remove network: true from the step."
)
NO_SANDBOX = (
    "Python steps cannot run on this installation because their sandbox cannot start ({}). "
    "Install bubblewrap (Debian package 'bubblewrap') where the workers run, or an "
    "administrator may set PYTHON_STEPS_SANDBOX=off to run Python steps unsandboxed."
)
UNSANDBOXED = (
    "Python steps run without a sandbox on this installation (PYTHON_STEPS_SANDBOX=off): "
    "their scripts can read the worker's files, the data folder and its keys included, and "
    "reach the network."
)


def python_steps_problem(steps: Iterable[dict]) -> str | None:
    """The launch-time refusal for the planned steps (step dicts, literal nested playbooks
    included) where one of their Python steps cannot run here; a step of a nested playbook
    chosen only at run time is stopped by ``run`` instead."""
    for step in steps:
        if step["type"] == STEP_TYPE:
            problem = _problem(bool(step.get("parameters", {}).get("network")))
            if problem is not None:
                return f"Step '{step['id']}' is a utility.python step, and {problem}"
    return None


def python_unsandboxed_warning(step_types: Iterable[str]) -> str | None:
    """The warning a run page shows when the run has Python steps and they run unsandboxed."""
    if settings.PYTHON_STEPS_SANDBOX == "off" and STEP_TYPE in set(step_types):
        return UNSANDBOXED
    return None


def _problem(network: bool) -> str | None:
    if not settings.ALLOW_PYTHON_STEPS:
        return DISABLED
    if network and not settings.PYTHON_STEPS_NETWORK:
        return NO_NETWORK
    if settings.PYTHON_STEPS_SANDBOX == "off":
        return None
    reason = sandbox_problem()
    return None if reason is None else NO_SANDBOX.format(reason)


def run(context, params: dict) -> dict:
    values = parse(STEP_TYPE, params, context.log)
    network = values["network"]
    problem = DISABLED if not context.allow_python else _problem(network)
    if problem is not None:
        raise StepError(f"This is a utility.python step, and {problem}", retryable=False)
    folder = Path(context.artifacts_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if settings.PYTHON_STEPS_SANDBOX == "off":
        context.log(UNSANDBOXED, "warning")
        command = unsandboxed_command()
    else:
        command = sandboxed_command(folder, network=network)
    job = {
        "script": values["script"],
        "inputs": values.get("inputs") or {},
        "variables": context.scope.variables,
        "steps": context.scope.steps,
    }
    result = _run_isolated(context, command, folder, json.dumps(job, default=str))
    for name, value in result["variables"].items():
        context.set_variable(name, value)
    if result["error"]:
        raise StepError(f"The script raised an error:\n{result['error'].strip()}")
    return _outputs(result["stdout"])


def _run_isolated(context, command: list[str], folder: Path, job: str) -> dict:
    # Files, not pipes: a chatty script cannot fill a pipe and stall while we poll.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(  # noqa: S603 - fixed interpreter and harness, data on stdin
            command,
            stdin=subprocess.PIPE,
            stdout=stdout,
            stderr=stderr,
            cwd=folder,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
            # Its own process group, killed whole on cancel; inside the sandbox the script is
            # also in a session of its own, and dies with the sandbox (--die-with-parent).
            start_new_session=True,
        )
        context.add_interrupter(lambda: _kill(process))
        try:
            process.stdin.write(job.encode())
            process.stdin.close()
            while process.poll() is None:
                context.sleep(0.02)
        finally:
            _kill(process)
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read().decode(errors="replace"), stderr.read().decode(errors="replace")
    if process.returncode != 0:
        raise StepError(f"The script's process ended with code {process.returncode}: {err.strip()}")
    return json.loads(out)


def _kill(process: subprocess.Popen) -> None:
    """Kill the script's process group; the watcher's interrupter and the step may race here."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # the other one killed it first
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _outputs(stdout: str) -> dict:
    outputs = {"_output": stdout}
    for line in stdout.splitlines():
        match = OUTPUT_LINE.match(line.strip())
        if match:
            outputs[match.group(1)] = match.group(2)
    return outputs
