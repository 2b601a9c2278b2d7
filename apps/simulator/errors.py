"""Error bodies of a real gateway (spec section 3)."""

from html import escape

from starlette.responses import HTMLResponse, JSONResponse, Response

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}

_JETTY = """<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>
<title>Error {status} {reason}</title>
</head>
<body>
<h2>HTTP ERROR {status} {reason}</h2>
<table>
<tr><th>URI:</th><td>{uri}</td></tr>
<tr><th>STATUS:</th><td>{status}</td></tr>
<tr><th>MESSAGE:</th><td>{message}</td></tr>
</table>
</body>
</html>
"""


def json_error(status: int, url: str, message: str | None = None) -> JSONResponse:
    """``{"message", "url", "status"}`` with the status as a string (8.3.8 style)."""
    body = {"message": message or REASONS[status], "url": url, "status": str(status)}
    return JSONResponse(body, status_code=status)


def jetty_error(status: int, url: str, message: str | None = None) -> Response:
    """The Jetty HTML error page served by 8.3.6 (and for servlet errors on every version)."""
    text = _JETTY.format(
        status=status,
        reason=REASONS[status],
        uri=escape(url),
        message=escape(message or REASONS[status]),
    )
    return HTMLResponse(
        text.encode("iso-8859-1", "replace"),
        status_code=status,
        media_type="text/html;charset=iso-8859-1",
    )


def auth_error(status: int, url: str, style: str) -> Response:
    """401/403 in the configured ``error_style``."""
    return jetty_error(status, url) if style == "html" else json_error(status, url)


def no_route(path: str) -> JSONResponse:
    """404 for an unknown ``/data`` route; the message drops the ``/data/api`` prefix."""
    shown = path
    for prefix in ("/data/api", "/data"):
        if path.startswith(prefix + "/"):
            shown = path[len(prefix) :]
            break
    return json_error(404, path, f"No route match for path: {shown}")


def no_servlet(path: str) -> Response:
    name = path.removeprefix("/system/").split("/")[0]
    return jetty_error(404, path, f"No servlet '{name}' found")


def problem(status: int, message: str) -> JSONResponse:
    """Project/resource mutation failure: ``{success, changes, problem}``."""
    body = {"success": False, "changes": [], "problem": {"message": message, "stacktrace": []}}
    return JSONResponse(body, status_code=status)


def validation_error(messages: list[str]) -> JSONResponse:
    return JSONResponse({"messages": messages, "fieldMessages": []}, status_code=422)
