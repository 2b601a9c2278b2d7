"""Tiny HTML templates under ``apps/simulator/templates``: ``{{name}}`` is escaped,
``{{!name}}`` is inserted as is. No template engine is installed, so none is used."""

import re
from functools import cache
from html import escape
from pathlib import Path

from starlette.responses import HTMLResponse

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_PLACEHOLDER = re.compile(r"\{\{(!?)(\w+)\}\}")


@cache
def _source(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(name: str, **context) -> str:
    def substitute(match: re.Match) -> str:
        raw, key = match.groups()
        value = context[key]
        return str(value) if raw else escape(str(value))

    return _PLACEHOLDER.sub(substitute, _source(name))


def page(name: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    return HTMLResponse(render(name, **context), status_code=status, headers=headers)


def hhmmss(seconds: int) -> str:
    hours, rest = divmod(max(0, int(seconds)), 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
