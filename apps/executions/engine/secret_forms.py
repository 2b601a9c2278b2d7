"""The ways a secret is written when it travels: URLs, forms, JSON, HTML, base64, Basic auth.

A secret pasted into a URL, a JSON body, a page or an ``Authorization`` header is no longer the
same text, so masking only the value itself would let it through in those places. Each function
returns every spelling of one secret that the run's masker searches for.
"""

import base64
import html
import json
import re
from urllib.parse import quote, quote_plus

# Characters browsers leave as they are in a URL's query (WHATWG URL standard, "query
# percent-encode set"); the path and fragment sets also encode the ones removed below.
_QUERY_SAFE = "!$%&'()*+,-./:;=?@[\\]^_`{|}~"
_PATH_SAFE = _QUERY_SAFE.replace("?", "").replace("^", "").replace("`", "").replace("{", "")
_PATH_SAFE = _PATH_SAFE.replace("}", "")
_FRAGMENT_SAFE = _QUERY_SAFE.replace("`", "") + "#"
_HEX_ESCAPE = re.compile("%[0-9A-F]{2}")


def secret_forms(secret: str, username: str | None = None) -> set[str]:
    """Every spelling of ``secret`` (and of ``username:secret`` as Basic auth)."""
    forms = {secret, *url_forms(secret), *base64_forms(secret)}
    for text in {secret, *json_forms(secret)}:
        forms |= {text, *json_forms(text), *html_forms(text)}
    if username:
        forms |= base64_forms(f"{username}:{secret}")
    return forms


def url_forms(secret: str) -> set[str]:
    """Percent-encoded as Python, JavaScript, HTML forms and browsers' URL parsers do it."""
    encoded = {
        quote(secret),
        quote(secret, safe=""),
        quote_plus(secret),
        quote_plus(secret, safe="*").replace("~", "%7E"),  # a browser submitting a form
        quote(secret, safe="!~*'()"),  # JavaScript's encodeURIComponent
        quote(secret, safe=_QUERY_SAFE),
        quote(secret, safe=_QUERY_SAFE.replace("'", "")),
        quote(secret, safe=_PATH_SAFE),
        quote(secret, safe=_FRAGMENT_SAFE),
    }
    return encoded | {_HEX_ESCAPE.sub(lambda match: match[0].lower(), text) for text in encoded}


def json_forms(text: str) -> set[str]:
    """Inside a JSON string, with ASCII or UTF-8 output and with ``/`` escaped or not."""
    forms = {json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    return forms | {form.replace("/", "\\/") for form in forms}


def html_forms(text: str) -> set[str]:
    """As HTML text and attribute values (Python's and browsers' serialisations)."""
    attribute = text.replace("&", "&amp;").replace('"', "&quot;")
    return {
        html.escape(text),
        html.escape(text, quote=False),
        html.escape(text).replace("&#x27;", "&#39;"),
        attribute,
        attribute.replace("<", "&lt;").replace(">", "&gt;"),
    }


def base64_forms(text: str) -> set[str]:
    """Standard and URL-safe base64 of the UTF-8 text, with and without padding."""
    raw = text.encode()
    encoded = {base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    return encoded | {form.rstrip("=") for form in encoded}
