"""utility.python: run a script in a separate, killable process with a time limit.

Disabled unless an administrator sets ``ALLOW_PYTHON_STEPS``. The process gets no secrets
(a minimal environment) and receives values as JSON data on stdin. Lines printed as
``KEY=value`` become outputs; ``_output`` holds everything printed.
"""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from apps.steps.handlers import StepError

HARNESS = Path(__file__).with_name("python_harness.py")
OUTPUT_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def python_steps_problem(steps: Iterable[Any]) -> str | None:
    """The launch-time refusal for planned steps (rows with ``type`` and ``step_id``) holding a
    Python step where Python steps are off; a step of a nested playbook chosen only at run time
    is stopped by ``run`` instead."""
    if settings.ALLOW_PYTHON_STEPS:
        return None
    step = next((step for step in steps if step.type == "utility.python"), None)
    if step is None:
        return None
    return (
        f"Step '{step.step_id}' is a utility.python step, and Python steps are disabled on "
        "this installation: an administrator must set ALLOW_PYTHON_STEPS=true to allow them."
    )


def run(context, params: dict) -> dict:
    if not context.allow_python:
        raise StepError(
            "utility.python is disabled on this installation: an administrator must set "
            "ALLOW_PYTHON_STEPS=true to allow Python steps.",
            retryable=False,
        )
    job = {
        "script": params["script"],
        "inputs": params.get("inputs") or {},
        "variables": context.scope.variables,
        "steps": context.scope.steps,
    }
    result = _run_isolated(context, json.dumps(job, default=str))
    for name, value in result["variables"].items():
        context.set_variable(name, value)
    if result["error"]:
        raise StepError(f"The script raised an error:\n{result['error'].strip()}")
    return _outputs(result["stdout"])


def _run_isolated(context, job: str) -> dict:
    # Files, not pipes: a chatty script cannot fill a pipe and stall while we poll.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(  # noqa: S603 - fixed interpreter and harness, data on stdin
            [sys.executable, "-I", str(HARNESS)],
            stdin=subprocess.PIPE,
            stdout=stdout,
            stderr=stderr,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
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
