"""The Linux desktop through xdotool (windows, keys, typing) and ImageMagick ``import``.

Every command is a subprocess with a time limit that a cancel, skip or step timeout stops
within one slice (the process is killed). Text is typed from stdin (``type --file -``) so a
password never appears on a command line. Window titles are POSIX regular expressions that
xdotool matches case-insensitively; they follow what the originals looked for and have not
been checked against every Designer version.
"""

import contextlib
import os
import signal
import subprocess
import time

from apps.steps.errors import StepError

XDOTOOL = "xdotool"
IMPORT = "import"
SLICE_S = 0.05
POLL_S = 0.5
COMMAND_TIMEOUT_S = 30.0
TYPE_DELAY_MS = "40"
TITLES = {
    "any": "Ignition|Designer",
    "login": "Login",
    "project": "Project",
    "designer": "Designer",
}


class Desktop:
    def __init__(self, context) -> None:
        self.context = context

    def run(self, argv: list[str], *, stdin: bytes = b"", timeout: float = COMMAND_TIMEOUT_S):
        """``(returncode, stdout)`` of ``argv``; ``StepError`` when it cannot run or hangs."""
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed tools, argument lists
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except FileNotFoundError:
            raise StepError(
                f"'{argv[0]}' is not installed on this desktop worker "
                "(apt install xdotool imagemagick).",
                retryable=False,
            ) from None
        self.context.add_interrupter(lambda: kill(process))
        deadline, pending = time.monotonic() + timeout, stdin
        while True:
            try:
                out, err = process.communicate(input=pending, timeout=SLICE_S)
                break
            except subprocess.TimeoutExpired:
                pending = None
            if not self._still_allowed(process, deadline):
                raise StepError(f"'{' '.join(argv[:2])}' did not finish within {timeout:g} s.")
        self.context.check()  # killed by the interrupter: report the cancel, not the kill
        if process.returncode not in (0, 1):
            detail = err.decode(errors="replace").strip() or f"exit code {process.returncode}"
            raise StepError(f"'{' '.join(argv[:2])}' failed: {detail}")
        return process.returncode, out

    def _still_allowed(self, process, deadline: float) -> bool:
        try:
            self.context.check()
        except BaseException:
            kill(process)
            raise
        if time.monotonic() > deadline:
            kill(process)
            return False
        return True

    def xdotool(self, *args: str, stdin: bytes = b"") -> str:
        code, out = self.run([XDOTOOL, *args], stdin=stdin)
        if code != 0 and args[0] != "search":
            raise StepError(f"'xdotool {args[0]}' failed (exit code {code}).")
        return out.decode(errors="replace")

    def windows(self, title: str) -> list[str]:
        return self.xdotool("search", "--onlyvisible", "--name", title).split()

    def wait_window(self, title: str, timeout: float, what: str = "window") -> str:
        """The newest visible window whose title matches ``title``, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.windows(title)
            if found:
                return found[-1]
            if time.monotonic() >= deadline:
                raise StepError(f"No {what} (title matching '{title}') within {timeout:g} s.")
            self.context.sleep(POLL_S)

    def wait_gone(self, window: str, title: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while window in self.windows(title):
            if time.monotonic() >= deadline:
                return False
            self.context.sleep(POLL_S)
        return True

    def activate(self, window: str) -> None:
        self.xdotool("windowactivate", "--sync", window)

    def type_text(self, text: str) -> None:
        self.xdotool(
            "type", "--clearmodifiers", "--delay", TYPE_DELAY_MS, "--file", "-", stdin=text.encode()
        )

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--clearmodifiers", *keys)

    def screenshot(self, window: str) -> bytes:
        code, out = self.run([IMPORT, "-window", window, "png:-"])
        if code != 0 or not out:
            raise StepError(f"Could not capture window {window} (import exit code {code}).")
        return out


def kill(process: subprocess.Popen) -> None:
    """Kill a command and its children (best effort; it may have ended already)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # ended between poll and kill
            os.killpg(process.pid, signal.SIGKILL)
