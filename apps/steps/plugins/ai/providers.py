"""The two HTTP API shapes: Anthropic Messages and OpenAI-compatible chat completions.

Each shape builds ``(url, headers, body)`` for one user turn (text plus base64 PNG images) and
reads the answer's text back. Base URLs without a path get ``/v1`` (``http://host:11434``
becomes ``http://host:11434/v1/chat/completions``); a base URL with a path is used as is.
"""

import base64
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ANTHROPIC_VERSION = "2023-06-01"


def endpoint(base_url: str, suffix: str) -> str:
    base = base_url.rstrip("/")
    if urlsplit(base).path in ("", "/"):
        base += "/v1"
    return f"{base}/{suffix}"


def b64(image: bytes) -> str:
    return base64.b64encode(image).decode("ascii")


@dataclass(frozen=True)
class Shape(ABC):
    """One provider's API shape: the request of a turn, and the answer's text."""

    name: str

    @abstractmethod
    def request(self, settings, system: str, prompt: str, images: list[bytes], max_tokens: int):
        """``(url, headers, body)`` of one user turn."""

    @abstractmethod
    def text(self, body: Any) -> str:
        """The answer's text from a response body."""


class Anthropic(Shape):
    def request(self, settings, system, prompt, images, max_tokens):
        content = [
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/png", "data": b64(i)},
            }
            for i in images
        ]
        content.append({"type": "text", "text": prompt})
        headers = {"x-api-key": settings.key, "anthropic-version": ANTHROPIC_VERSION}
        body = {
            "model": settings.model,
            "max_tokens": max_tokens,
            "system": system,
            "messages": [{"role": "user", "content": content}],
        }
        return endpoint(settings.base_url, "messages"), headers, body

    def text(self, body):
        return "".join(part["text"] for part in body["content"] if part.get("type") == "text")


class OpenAI(Shape):
    def request(self, settings, system, prompt, images, max_tokens):
        content: list[dict] = [{"type": "text", "text": prompt}]
        content += [
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64(i)}"}}
            for i in images
        ]
        headers = {"authorization": f"Bearer {settings.key}"}
        body = {
            "model": settings.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": content},
            ],
        }
        return endpoint(settings.base_url, "chat/completions"), headers, body

    def text(self, body):
        content = body["choices"][0]["message"]["content"]
        if isinstance(content, list):  # some compatible servers answer in parts
            return "".join(part.get("text", "") for part in content)
        return str(content)


SHAPES: dict[str, Shape] = {"anthropic": Anthropic("Anthropic"), "openai": OpenAI("OpenAI")}


def error_text(body: Any) -> str:
    """The provider's own explanation from an error body (both shapes), else ''."""
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            return str(error.get("message") or error.get("type") or "")
        return str(error)
    return ""
