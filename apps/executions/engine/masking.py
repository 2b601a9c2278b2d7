"""Replace every secret value used in a run by ``[SECURE]`` before it is stored or sent."""

from typing import Any

MASK = "[SECURE]"
# Very short values would mask ordinary words; secrets shorter than this are not searched.
MINIMUM_SECRET_LENGTH = 3


class Masker:
    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= MINIMUM_SECRET_LENGTH:
            self._secrets.add(secret)

    def mask(self, value: Any) -> Any:
        """``value`` with every known secret replaced, recursing into lists and dicts."""
        if not self._secrets:
            return value
        if isinstance(value, str):
            return self._mask_text(value)
        if isinstance(value, dict):
            return {key: self.mask(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask(item) for item in value]
        return value

    def _mask_text(self, text: str) -> str:
        # Longest first, so a secret containing another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text
