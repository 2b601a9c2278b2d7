"""Where a secret could hide: the forms a value takes in URLs, JSON, HTML and base64.

Written independently of the product's masker, so a form the masker forgets is still found.
"""

import base64
import html
import json
from urllib.parse import quote, quote_plus


def encodings(secret: str, *, username: str | None = None) -> dict[str, bytes]:
    """Each encoded form of ``secret`` (and of the Basic-auth pair) as UTF-8 bytes, by name."""
    texts = {
        "clear": secret,
        "url": quote(secret, safe=""),
        "url-path": quote(secret),
        "url-form": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json-ascii": json.dumps(secret, ensure_ascii=False)[1:-1],
        "html": html.escape(secret),
        "html-text": html.escape(secret, quote=False),
    }
    raw = {"secret": secret.encode()}
    if username is not None:
        raw["basic"] = f"{username}:{secret}".encode()
    for name, value in raw.items():
        texts[f"base64-{name}"] = base64.b64encode(value).decode()
        texts[f"base64url-{name}"] = base64.urlsafe_b64encode(value).decode().rstrip("=")
    return {name: text.encode() for name, text in texts.items()}


def leaks_in(places: dict[str, bytes], forms: dict[str, bytes]) -> list[tuple[str, str]]:
    """``(place, form)`` for every place holding a form of the secret."""
    return [
        (place, form)
        for place, data in places.items()
        for form, needle in forms.items()
        if needle in data
    ]
