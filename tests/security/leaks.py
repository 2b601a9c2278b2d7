"""Finding a secret in any of its encodings, in anything a run stores, sends, logs or serves."""

import asyncio
import base64
import html
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from apps.executions.events import execution_group
from apps.executions.models import Artifact, Execution, ExecutionEvent, StepRun

# Characters that change under URL, JSON, HTML and form encoding, and a non-ASCII letter.
SECRET = 'Pa ss+w/rd&<"é>%21'
USERNAME = "admin"


def _b64(data: str) -> list[str]:
    raw = data.encode()
    forms = [base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()]
    return forms + [form.rstrip("=") for form in forms]


def encoded_forms(secret: str = SECRET, username: str = USERNAME) -> dict[str, str]:
    """The secret as URLs, JSON, HTML, forms, browsers and Basic auth write it, by name."""
    json_inner = json.dumps(secret, ensure_ascii=False)[1:-1]
    return {
        "plain": secret,
        "quote": quote(secret),
        "quote_nothing_safe": quote(secret, safe=""),
        "quote_plus": quote_plus(secret),
        "quote_lowercase_hex": re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quote(secret)),
        "browser_query": quote(secret, safe="!$%&'()*+,-./:;=?@[\\]^_`{|}~"),
        "json": json.dumps(secret)[1:-1],
        "json_unicode": json_inner,
        "json_twice": json.dumps(json_inner)[1:-1],
        "html": html.escape(secret),
        "html_without_quotes": html.escape(secret, quote=False),
        "html_attribute": secret.replace("&", "&amp;").replace('"', "&quot;"),
        "html_of_json": html.escape(json_inner),
        **{f"base64_{n}": form for n, form in enumerate(_b64(secret))},
        **{f"basic_auth_{n}": form for n, form in enumerate(_b64(f"{username}:{secret}"))},
    }


def leaks_in(
    data: str | bytes, where: str, *, secret: str = SECRET, username: str = USERNAME
) -> list[str]:
    """``where: form`` for each encoding of ``secret`` found in ``data``."""
    forms = encoded_forms(secret, username)
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    found = [name for name, form in forms.items() if form in text]
    if isinstance(data, bytes):
        found += [n for n, form in forms.items() if form.encode() in data]
    return [f"{where}: {name}" for name in sorted(set(found))]


def database_leaks(execution: Execution) -> list[str]:
    """Leaks in the run's rows: the execution, its steps, events and artifacts."""
    tables = {
        "executions": Execution.objects.filter(pk=execution.pk),
        "steps": StepRun.objects.filter(execution=execution),
        "events": ExecutionEvent.objects.filter(execution=execution),
        "artifacts": Artifact.objects.filter(execution=execution),
    }
    found = []
    for name, rows in tables.items():
        for row in rows.values():
            found += leaks_in(json.dumps(row, default=str, ensure_ascii=False), name)
            found += leaks_in(repr(row), name)
    return found


def artifact_leaks(execution: Execution) -> list[str]:
    """Leaks in every file of the run's folder, zip files read entry by entry."""
    found = []
    folder = Path(settings.ARTIFACTS_ROOT) / str(execution.pk)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += leaks_in(data, path.name)
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for entry in archive.namelist():
                    found += leaks_in(archive.read(entry), f"{path.name}/{entry}")
    return found


def log_leaks(records, console: str) -> list[str]:
    """Leaks in captured log records and in the text the console handler wrote."""
    found = leaks_in(console, "console")
    for record in records:
        text = f"{record.getMessage()} {record.exc_text or ''} {record.stack_info or ''}"
        found += leaks_in(text, f"log {record.name}")
    return found


class GroupListener:
    """A channel in the run's websocket group: what a run page would receive."""

    def __init__(self, execution_id) -> None:
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(execution_group(execution_id), self.channel)

    def until_finished(self, timeout: float = 30) -> list[dict]:
        """Every message up to the one carrying the run's end (events come one a message or
        several in a batch; frames carry none)."""

        async def collect() -> list[dict]:
            messages = []
            while not messages or not _ends_the_run(messages[-1]):
                messages.append(await asyncio.wait_for(self.layer.receive(self.channel), timeout))
            return messages

        return async_to_sync(collect)()


def _ends_the_run(message: dict) -> bool:
    events = message.get("events") or [message.get("event") or {}]
    return any(event.get("type") == "execution.finished" for event in events)
