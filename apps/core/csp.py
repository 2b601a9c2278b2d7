"""Content-Security-Policy middleware: django-csp's, plus websockets to the same host."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost


class SameHostWebsocketCSPMiddleware(CSPMiddleware):
    """Adds ``ws://`` and ``wss://`` of the requested host to ``connect-src``.

    CSP Level 3 browsers already let ``'self'`` match websockets to the page's own host; older
    ones need the scheme spelled out. The host is ``request.get_host()``, which Django checks
    against ``ALLOWED_HOSTS``; a request for another host gets no websocket source.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), f"ws://{host}", f"wss://{host}"]
        parts.update = update
        return parts
