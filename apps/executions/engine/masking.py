"""Replace every secret used in a run by ``[SECURE]`` before it is stored, sent or logged.

Each secret is searched in all its spellings (``secret_forms``): as typed, URL-encoded, inside
JSON and HTML, in base64, and as the Basic-auth pair when its user name is known. The spellings
of all the run's secrets form one regular expression (longest first, so a secret containing
another is masked whole), compiled once per added secret, for text and for UTF-8 bytes.
"""

import re
import threading
from typing import Any

from apps.executions.engine.secret_forms import secret_forms

MASK = "[SECURE]"
# Shorter values would mask ordinary words and numbers; they are not searched.
MINIMUM_SECRET_LENGTH = 4


class Masker:
    def __init__(self) -> None:
        self._forms: set[str] = set()
        self._text: re.Pattern[str] | None = None
        self._bytes: re.Pattern[bytes] | None = None
        self._lock = threading.Lock()

    def add(self, secret: str | None, username: str | None = None) -> None:
        """Mask ``secret`` from now on; with ``username``, also its Basic-auth header."""
        if not secret or len(secret) < MINIMUM_SECRET_LENGTH:
            return
        forms = secret_forms(secret, username)
        with self._lock:
            if forms <= self._forms:
                return
            self._forms |= forms
            ordered = sorted(self._forms, key=lambda form: (-len(form), form))
            self._bytes = re.compile(b"|".join(re.escape(f.encode()) for f in ordered))
            self._text = re.compile("|".join(re.escape(form) for form in ordered))

    def has_secrets(self) -> bool:
        return self._text is not None

    def mask(self, value: Any) -> Any:
        """``value`` with every known secret replaced, recursing into lists and dicts."""
        pattern = self._text
        if pattern is None:
            return value
        return _mask_value(value, pattern)

    def mask_text(self, text: str) -> str:
        pattern = self._text
        return text if pattern is None else pattern.sub(MASK, text)

    def mask_bytes(self, data: bytes) -> bytes:
        """``data`` with every known secret's UTF-8 spellings replaced (for stored files)."""
        pattern = self._bytes
        return data if pattern is None else pattern.sub(MASK.encode(), data)


def _mask_value(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(MASK, value)
    if isinstance(value, dict):
        return {_mask_value(k, pattern): _mask_value(v, pattern) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(item, pattern) for item in value]
    return value
