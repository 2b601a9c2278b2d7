"""The bubblewrap (``bwrap``) sandbox a utility.python script runs in.

Inside, the script sees the system folders and the interpreter's installation read-only, the
harness file, fresh ``/proc``, ``/dev`` and ``/tmp``, and its run's own folder as the only
writable place and its working folder. The data folder, other runs' folders, the code and the
home folders are simply not there. Every namespace is new (no network unless asked for), the
script runs as an unprivileged user with no capabilities, with a cleared environment, in a
session of its own, and dies with the sandbox's parent.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

HARNESS = Path(__file__).with_name("python_harness.py")
HARNESS_INSIDE = "/harness/python_harness.py"
NOBODY = "65534"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64")
# What the dynamic linker, time zones, TLS and alternatives links need, where they exist.
SYSTEM_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/alternatives",
    "/etc/ssl",
    "/etc/ca-certificates",
)
# Name resolution, only for a script that has the network.
NETWORK_FILES = ("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/gai.conf")
# /tmp inside the sandbox is the sandbox's own, empty tmpfs.
PRIVATE_TMP = "/tmp"  # noqa: S108
ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": PRIVATE_TMP}
PROBE_TIMEOUT_SECONDS = 10

# bwrap binaries whose probe succeeded in this process: probed once, not at every step.
_working: set[str] = set()


def sandbox_problem() -> str | None:
    """Why a sandbox cannot start on this machine (a sentence), or ``None`` when it can.

    The probe starts ``true`` in a sandbox built like a script's, so a missing binary, a
    kernel without user namespaces or a container that forbids them all show up here.
    """
    binary = shutil.which(settings.PYTHON_STEPS_BWRAP)
    if binary is None:
        return (
            f"bubblewrap is not installed: '{settings.PYTHON_STEPS_BWRAP}' (PYTHON_STEPS_BWRAP) "
            "was not found"
        )
    if binary in _working:
        return None
    command = [binary, *_system_mounts(network=False), *_isolation(network=False), "--", "true"]
    try:
        probe = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap ('{binary}') could not be started: {error}"
    if probe.returncode != 0:
        detail = probe.stderr.decode(errors="replace").strip() or f"exit code {probe.returncode}"
        return f"bubblewrap ('{binary}') cannot create a sandbox here: {detail}"
    _working.add(binary)
    return None


def sandboxed_command(folder: Path, *, network: bool) -> list[str]:
    """The command running the harness in a sandbox whose one writable folder is ``folder``."""
    binary = shutil.which(settings.PYTHON_STEPS_BWRAP) or settings.PYTHON_STEPS_BWRAP
    run_folder = str(folder)
    return [
        binary,
        *_system_mounts(network=network),
        *("--ro-bind", str(HARNESS), HARNESS_INSIDE),
        # After the /tmp tmpfs, so a run folder under /tmp is mounted on top of it.
        *("--bind", run_folder, run_folder, "--chdir", run_folder),
        *_isolation(network=network),
        "--",
        os.path.realpath(sys.executable),
        "-I",
        HARNESS_INSIDE,
    ]


def unsandboxed_command() -> list[str]:
    """The harness in a plain isolated interpreter, for ``PYTHON_STEPS_SANDBOX=off``."""
    return [sys.executable, "-I", str(HARNESS)]


def _system_mounts(*, network: bool) -> list[str]:
    args: list[str] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES + (NETWORK_FILES if network else ()):
        args += ["--ro-bind-try", path, path]
    prefix = os.path.realpath(sys.base_prefix)
    if not _under_system_dirs(prefix):
        # An interpreter installed elsewhere (pyenv under a home folder): only its own tree.
        args += ["--ro-bind", prefix, prefix]
    return [*args, "--proc", "/proc", "--dev", "/dev", "--tmpfs", PRIVATE_TMP]


def _under_system_dirs(path: str) -> bool:
    return any(path == folder or path.startswith(folder + "/") for folder in SYSTEM_DIRS)


def _isolation(*, network: bool) -> list[str]:
    args = ["--unshare-all", "--unshare-user", "--uid", NOBODY, "--gid", NOBODY]
    args += ["--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv"]
    if network:
        args.append("--share-net")
    for name, value in ENVIRONMENT.items():
        args += ["--setenv", name, value]
    return args
