"""Where the Designer launcher comes from and the command line that starts it.

``launcher_file`` is the name of a file in the run's artifacts folder, a path inside an allowed
input folder (see ``apps/steps/files``), or a gateway download: an ``http(s)://`` URL or a
gateway path such as ``/data/api/v1/launcher/download/designer/linux/x64`` (8.3). Downloads go
through the run's gateway client (its token or web session) into ``<artifacts>/.designer/``; a
``.tar.gz`` is unpacked and its ``designerlauncher`` script used.
"""

import re
import shlex
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from apps.gateways.client import GatewayError
from apps.steps.errors import StepError
from apps.steps.files import input_file
from apps.steps.params import bad
from apps.steps.plugins.designer.desktop import kill
from apps.steps.plugins.gateway.base import client_for

ARCHIVES = (".tar.gz", ".tgz")
FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def scratch(context) -> Path:
    folder = Path(context.artifacts_dir) / ".designer"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start(context, argv: list[str]) -> subprocess.Popen:
    """Start a launcher in its own session (stopped with the run), output in launcher.log."""
    processes = context.resources.get("designer", list, close=lambda found: [*map(kill, found)])
    try:
        with (scratch(context) / "launcher.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - the launcher the playbook names
                argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
            )
    except OSError as exc:
        raise bad(f"Could not start '{argv[0]}': {exc.strerror or exc}.") from exc
    processes.append(process)
    context.log(f"Started {argv[0]} (pid {process.pid}).")
    return process


def launcher_path(context, value: str) -> Path:
    """The local launcher file ``value`` names, downloading or unpacking it when needed."""
    if value.startswith(("http://", "https://", "/data/")):
        path = download(context, value)
    else:
        path = input_file(context, value, "launcher_file")
    if path.name.lower().endswith(ARCHIVES):
        path = unpack(path, scratch(context) / "launcher")
    return path


def download(context, value: str) -> Path:
    parts = urlsplit(value)
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme else None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    target = scratch(context) / "launcher.part"
    try:
        client = client_for(context, {"gateway_url": base} if base else {})
        try:
            response = client.download(path, target)
        finally:
            client.bind(sleep=None, check=None)
    except GatewayError as exc:
        context.check()
        hint = (
            " (the gateway does not serve launchers there)" if exc.status_code in (404, 501) else ""
        )
        raise StepError(f"Could not download the launcher: {exc.message}{hint}") from exc
    found = FILENAME.search(response.headers.get("content-disposition", ""))
    name = PurePosixPath(found.group(1) if found else parts.path).name or "designerlauncher"
    final = target.with_name(name)
    target.replace(final)
    context.log(f"Downloaded the launcher {name} ({final.stat().st_size} bytes) from {value}.")
    return final


def unpack(archive: Path, folder: Path) -> Path:
    """Unpack a launcher archive; its launcher script (``designerlauncher*``, ``.sh`` first)."""
    shutil.rmtree(folder, ignore_errors=True)
    try:
        with tarfile.open(archive) as bundle:
            bundle.extractall(folder, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise bad(f"'{archive.name}' is not a readable launcher archive: {exc}") from exc
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    scripts = [p for p in files if p.name.lower().startswith("designerlauncher")]
    scripts.sort(key=lambda p: (p.suffix != ".sh", len(p.parts)))
    if not scripts:
        raise bad(f"'{archive.name}' holds no designerlauncher script.")
    return scripts[0]


def launch_command(path: Path) -> list[str]:
    """The command that starts launcher ``path`` on Linux."""
    suffix = path.suffix.lower()
    if suffix == ".exe":
        raise bad(f"'{path.name}' is a Windows launcher; this worker drives a Linux desktop.")
    if suffix == ".jnlp":
        return [required_tool("javaws", "a .jnlp launcher needs Java Web Start"), str(path)]
    if suffix == ".jar":
        return [required_tool("java", "a .jar launcher needs Java"), "-jar", str(path)]
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return [str(path)]


def shortcut_command(line: str) -> list[str]:
    """A Designer Launcher shortcut command line as an argument list."""
    try:
        argv = shlex.split(line)
    except ValueError as exc:
        raise bad(f"'designer_shortcut' is not a valid command line: {exc}") from exc
    if not argv:
        raise bad("'designer_shortcut' is empty.")
    if argv[0].lower().endswith(".exe") or "\\" in argv[0]:
        raise bad(f"'{argv[0]}' is a Windows launcher; this worker drives a Linux desktop.")
    return argv


def required_tool(name: str, why: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise bad(f"'{name}' is not installed on this worker: {why}.")
    return found
