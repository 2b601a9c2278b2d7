"""Runs inside the utility.python subprocess: read a JSON job on stdin, run it, answer JSON.

The script sees ``inputs``, ``params`` (the same), ``variables``, ``steps`` and the functions
``set_variable`` / ``get_variable``; nothing from the job is ever spliced into source text.
"""

import contextlib
import io
import json
import sys
import traceback


def main() -> int:
    job = json.loads(sys.stdin.read())
    variables = dict(job.get("variables") or {})
    changed: dict = {}

    def set_variable(name, value):
        variables[name] = value
        changed[name] = value

    namespace = {
        "__name__": "__step__",
        "inputs": job.get("inputs") or {},
        "params": job.get("inputs") or {},
        "variables": variables,
        "steps": job.get("steps") or {},
        "set_variable": set_variable,
        "get_variable": lambda name, default=None: variables.get(name, default),
    }
    captured = io.StringIO()
    result = {"stdout": "", "variables": {}, "error": None}
    with contextlib.redirect_stdout(captured):
        try:
            exec(compile(job["script"], "<utility.python>", "exec"), namespace)  # noqa: S102
        except BaseException:  # noqa: BLE001 - report every failure of the script
            result["error"] = traceback.format_exc(limit=-3)
    result["stdout"] = captured.getvalue()
    result["variables"] = changed
    sys.stdout.write(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
