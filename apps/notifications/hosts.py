"""Which hosts webhooks may reach: ``NOTIFICATION_WEBHOOK_ALLOWED_HOSTS``.

Empty (the default), a hook may name any host the workers reach. Set, a hook's host must be one
of its entries: a host name or address as written (``hooks.slack.com``, ``10.0.4.7``), or
``*.example.com`` for any name under ``example.com`` (not ``example.com`` itself). The check
runs when a hook is saved and again before each message, as the list may change meanwhile.
"""

from urllib.parse import urlsplit

from django.conf import settings


def webhook_host_problem(url: str) -> str | None:
    """Why ``url`` may not be sent to under the current list, or ``None`` when it may."""
    allowed = [entry.strip().lower() for entry in settings.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS]
    allowed = [entry for entry in allowed if entry]
    if not allowed:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if any(_matches(host, entry) for entry in allowed):
        return None
    return (
        f"{host or 'This address'} is not among the hosts webhooks may reach "
        f"(NOTIFICATION_WEBHOOK_ALLOWED_HOSTS: {', '.join(allowed)})."
    )


def _matches(host: str, entry: str) -> bool:
    if entry.startswith("*."):
        return host.endswith(entry[1:])  # a name under it, never the bare domain
    return host == entry
