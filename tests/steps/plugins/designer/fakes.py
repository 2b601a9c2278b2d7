"""A fake desktop for the designer steps: ``xdotool`` and ``import`` scripts over a JSON file.

``FakeDesktop.windows`` maps window ids to titles (the file the scripts read and write); every
call is logged with its arguments and its stdin, so tests see exactly what would have been
typed. ``key alt+F4`` closes the active window; ``type`` into a login window closes it after
the password (the fourth call: user, Tab, password, Return). A fake launcher script opens the
windows a Designer Launcher would.
"""

import contextlib
import fcntl
import io
import json
import os
import sys
import tarfile
import textwrap
from pathlib import Path

XDOTOOL = """
import fcntl, json, os, re, sys
state = os.environ["FAKE_DESKTOP"]
lock = open(state + ".lock", "w")
fcntl.flock(lock, fcntl.LOCK_EX)
data = json.load(open(state))
args = sys.argv[1:]
typed = sys.stdin.read() if args[0] == "type" else ""
data["calls"].append({"args": args, "stdin": typed})
code, out = 0, ""
if args[0] == "search":
    found = [i for i, t in data["windows"].items() if re.search(args[-1], t, re.I)]
    code, out = (0, "\\n".join(found)) if found else (1, "")
elif args[0] == "windowactivate" and args[-1] not in data["windows"]:
    code = 1
elif args[0] == "windowactivate":
    data["active"] = args[-1]
elif args[0] == "sleep":
    import time
    time.sleep(float(args[1]))
elif args[0] == "key" and args[-1] == "alt+F4" and data["stubborn"] != data["active"]:
    data["windows"].pop(data["active"], None)
elif args[0] == "key" and args[-1] == "Return":
    title = data["windows"].get(data["active"], "")
    for pattern, opens in data["on_return"].items():
        if re.search(pattern, title, re.I):
            data["windows"].pop(data["active"])
            data["windows"].update(opens)
elif args[0] == "windowkill":
    data["windows"].pop(args[-1], None)
elif args[0] == "fail":
    print("cannot open display", file=sys.stderr)
    code = 2
json.dump(data, open(state, "w"))
print(out)
sys.exit(code)
"""
IMPORT = """
import fcntl, json, os, sys
lock = open(os.environ["FAKE_DESKTOP"] + ".lock", "w")
fcntl.flock(lock, fcntl.LOCK_EX)
data = json.load(open(os.environ["FAKE_DESKTOP"]))
if sys.argv[2] not in data["windows"]:
    sys.exit(1)
sys.stdout.buffer.write(b"\\x89PNG\\r\\n\\x1a\\nwindow " + sys.argv[2].encode())
"""
LAUNCHER = """#!/bin/sh
{python} - <<'PY'
import fcntl, json, os
state = os.environ["FAKE_DESKTOP"]
lock = open(state + ".lock", "w")
fcntl.flock(lock, fcntl.LOCK_EX)
data = json.load(open(state))
data["windows"].update({{"101": "Ignition Designer Launcher", "102": "Login - Ignition"}})
data["launched"] = True
json.dump(data, open(state, "w"))
PY
"""


class FakeDesktop:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bin = folder / "bin"
        self.bin.mkdir(parents=True)
        self.state = folder / "desktop.json"
        self.save(windows={}, calls=[], active="", stubborn="", on_return={})
        for name, source in (("xdotool", XDOTOOL), ("import", IMPORT)):
            script = self.bin / name
            script.write_text(f"#!{sys.executable}\n{textwrap.dedent(source)}")
            script.chmod(0o755)

    def load(self) -> dict:
        with self.locked():
            return json.loads(self.state.read_text())

    def save(self, **values) -> None:
        with self.locked():
            data = json.loads(self.state.read_text()) if self.state.exists() else {}
            data.update(values)
            self.state.write_text(json.dumps(data))

    @contextlib.contextmanager
    def locked(self):
        """The lock the fake scripts take too: one reader or writer of the state at a time."""
        with open(f"{self.state}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    @property
    def windows(self) -> dict:
        return self.load()["windows"]

    @property
    def calls(self) -> list[dict]:
        return self.load()["calls"]

    def typed(self) -> list[str]:
        return [call["stdin"] for call in self.calls if call["args"][0] == "type"]

    def environment(self) -> dict[str, str]:
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "FAKE_DESKTOP": str(self.state),
            "DISPLAY": ":99",
        }


def launcher_script() -> str:
    return LAUNCHER.format(python=sys.executable)


def launcher_archive() -> bytes:
    """A .tar.gz like the gateway's Linux launcher: a folder with the launcher script."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as bundle:
        for name, text, mode in (
            ("designerlauncher/README.txt", "readme", 0o644),
            ("designerlauncher/lib/designerlauncher.jar", "jar", 0o644),
            ("designerlauncher/app/designerlauncher.sh", launcher_script(), 0o755),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            bundle.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
