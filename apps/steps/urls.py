"""Which addresses a browser may open: web pages (http, https) and ``about:blank``, nothing else.

``file:``, ``view-source:``, ``chrome:``, ``data:``, ``javascript:``, ``ftp:``, ``blob:`` and
every other scheme would let a playbook read the worker's files or the browser's internals, so
the loader refuses them when written literally, ``params.parse`` when a template produces them,
and the browser session blocks them inside the page (see ``plugins/browser/guard.py``).
"""

import re

WEB_SCHEMES = ("http", "https")
BLANK = "about:blank"
ALLOWED = "browser steps open only http:// and https:// addresses (or about:blank)"
# A URL scheme as browsers read it: tabs and newlines anywhere and leading or trailing spaces
# and control characters are dropped first, so "fi\tle:" is "file:".
_IGNORED_ANYWHERE = re.compile(r"[\t\r\n]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def normalized(value: str) -> str:
    """``value`` the way a browser reads it before parsing (see ``_IGNORED_ANYWHERE``)."""
    return _IGNORED_ANYWHERE.sub("", value).strip("".join(map(chr, range(33))))


def url_scheme(value: str) -> str:
    """The scheme of ``value`` in lower case, ``""`` when it has none."""
    found = _SCHEME.match(normalized(value))
    return found.group(1).lower() if found else ""


def web_url_problem(value: str) -> str | None:
    """Why a browser step may not open ``value``; ``None`` when it may."""
    if normalized(value).lower() == BLANK:
        return None
    scheme = url_scheme(value)
    if scheme in WEB_SCHEMES:
        return None
    if not scheme:
        return f"{value!r} is not a full address: start it with http:// or https://"
    return f"'{scheme}:' addresses are not allowed ({value!r}): {ALLOWED}"
