"""Sending one notification to one destination: a signed webhook POST or an email.

Each send answers with a ``Sent``: delivered or not, the HTTP status, the error in words and
whether trying again may help (network errors, timeouts, 429 and 5xx answers; not a 4xx).
"""

import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.mail import send_mail

from apps.core.outage import describe_error
from apps.notifications import payloads
from apps.notifications.hosts import webhook_host_problem
from apps.notifications.models import Channel, Destination
from toolkit_project.version import portal_version

SIGNATURE_HEADER = "X-Portal-Signature"
EVENT_HEADER = "X-Portal-Event"
# Of the 4xx answers only these mean "not now": anything else will not change on a retry.
RETRYABLE_CLIENT_ERRORS = {408, 425, 429}


@dataclass(frozen=True)
class Sent:
    delivered: bool
    retryable: bool = False
    status_code: int | None = None
    error: str = ""
    duration_ms: int = 0


def signature(secret: str, body: bytes) -> str:
    """The ``X-Portal-Signature`` value: ``sha256=`` and the hex HMAC-SHA256 of the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_request(destination: Destination, summary: dict[str, Any]) -> tuple[bytes, dict]:
    """The exact body and headers a webhook receives."""
    body = json.dumps(payloads.webhook_body(destination.preset, summary), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"IgnitionAutomationPortal/{portal_version()}",
        EVENT_HEADER: summary["event"],
        SIGNATURE_HEADER: signature(destination.secret, body),
    }
    return body, headers


def send(destination: Destination, summary: dict[str, Any]) -> Sent:
    """Deliver ``summary`` to ``destination`` once, timing it; never raises for its failures."""
    started = time.monotonic()
    if destination.channel == Channel.EMAIL:
        sent = _send_email(destination, summary)
    else:
        sent = _send_webhook(destination, summary)
    elapsed = int((time.monotonic() - started) * 1000)
    return Sent(sent.delivered, sent.retryable, sent.status_code, sent.error, elapsed)


def _send_webhook(destination: Destination, summary: dict[str, Any]) -> Sent:
    if problem := webhook_host_problem(destination.url):
        return Sent(False, retryable=False, error=problem)
    body, headers = webhook_request(destination, summary)
    try:
        response = httpx.post(
            destination.url,
            content=body,
            headers=headers,
            timeout=settings.NOTIFICATION_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return Sent(
            False, retryable=True, error=_without_url_path(describe_error(exc), destination.url)
        )
    code = response.status_code
    if 200 <= code < 300:
        return Sent(True, status_code=code)
    retryable = code >= 500 or code in RETRYABLE_CLIENT_ERRORS
    return Sent(False, retryable=retryable, status_code=code, error=f"HTTP {code} answered")


def _without_url_path(text: str, url: str) -> str:
    """``text`` with the hook URL's path and query cut: chat services put the hook's token there
    (``/services/T…/B…/…``), and the error goes to the log and the delivery log."""
    parts = urlsplit(url)
    hidden = parts.path.strip("/") + (f"?{parts.query}" if parts.query else "")
    return text.replace(hidden, "…") if hidden else text


def _send_email(destination: Destination, summary: dict[str, Any]) -> Sent:
    subject = f"[Ignition Automation Portal] {payloads.headline(summary)}"
    try:
        send_mail(
            subject,
            payloads.text(summary),
            settings.DEFAULT_FROM_EMAIL,
            list(destination.recipients),
            fail_silently=False,
        )
    except smtplib.SMTPRecipientsRefused as exc:
        return Sent(False, error=f"Recipients refused: {', '.join(sorted(exc.recipients))}")
    except (smtplib.SMTPException, OSError) as exc:
        return Sent(False, retryable=True, error=describe_error(exc))
    return Sent(True)
