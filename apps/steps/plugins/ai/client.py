"""``AIClient``: one question with images to the configured provider, cancellable, timed out.

The request runs on a helper thread while the step thread keeps calling ``context.check()``,
so a cancel, skip or step timeout returns within one slice even when the provider hangs; the
interrupter (run by the watcher) closes the httpx client as well. Errors become ``StepError``
messages that name the provider, the HTTP status and the provider's reason, never the key.
"""

import threading

import httpx
from django.conf import settings as django_settings

from apps.steps.errors import StepError
from apps.steps.plugins.ai.keys import AISettings
from apps.steps.plugins.ai.providers import SHAPES, error_text

SLICE_S = 0.05
DEFAULT_TIMEOUT_S = 120.0
CONNECT_TIMEOUT_S = 10.0


class AIClient:
    def __init__(self, settings: AISettings, context) -> None:
        self.settings = settings
        self.context = context
        self.shape = SHAPES[settings.provider]
        self.timeout = float(getattr(django_settings, "AI_REQUEST_TIMEOUT_SECONDS", 0) or 0)
        self.timeout = self.timeout or DEFAULT_TIMEOUT_S
        self.http = httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT_S, self.timeout))
        )
        context.add_interrupter(self.close)

    def close(self) -> None:
        self.http.close()

    @property
    def label(self) -> str:
        return f"The {self.shape.name} API at {self.settings.base_url}"

    def ask(self, system: str, prompt: str, images: list[bytes], max_tokens: int = 1024) -> str:
        url, headers, body = self.shape.request(self.settings, system, prompt, images, max_tokens)
        try:
            response = self._interruptible(lambda: self.http.post(url, headers=headers, json=body))
        except httpx.TimeoutException as exc:
            raise StepError(f"{self.label} did not answer within {self.timeout:g} s.") from exc
        except httpx.HTTPError as exc:
            raise StepError(self.clean(f"{self.label} could not be reached: {exc}")) from exc
        if response.status_code != 200:
            raise self.status_error(response)
        try:
            return self.shape.text(response.json())
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise StepError(
                f"{self.label} answered something that is not a {self.shape.name} response: "
                f"{self.clean(response.text[:200])!r}"
            ) from exc

    def status_error(self, response: httpx.Response) -> StepError:
        try:
            reason = error_text(response.json())
        except ValueError:
            reason = response.text[:200]
        status = f"HTTP {response.status_code}: {self.clean(reason) or response.reason_phrase}"
        code = response.status_code
        if code in (401, 403):
            return StepError(
                f"{self.label} refused the key of credential '{self.settings.credential}' "
                f"({status}). Check the key in the vault.",
                retryable=False,
            )
        if code == 429:
            wait = response.headers.get("retry-after")
            after = f"; it asks to wait {wait} s" if wait else ""
            return StepError(f"{self.label} is rate-limiting this key ({status}){after}.")
        if code >= 500:
            return StepError(f"{self.label} failed ({status}); try again later.")
        return StepError(
            f"{self.label} rejected the request ({status}); check the model "
            f"'{self.settings.model}' and the credential's provider settings.",
            retryable=False,
        )

    def clean(self, text: str) -> str:
        return text.replace(self.settings.key, "***") if self.settings.key else text

    def _interruptible(self, call):
        done, box = threading.Event(), {}

        def work() -> None:
            try:
                box["value"] = call()
            except BaseException as exc:  # noqa: BLE001 - handed to the step thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="ai-request", daemon=True).start()
        try:
            while not done.wait(SLICE_S):
                self.context.check()
        except BaseException:
            self.close()
            raise
        if "error" in box:
            raise box["error"]
        return box["value"]
