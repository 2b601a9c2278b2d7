"""8.1 web UI pages (Wicket in the real gateway) under /web (spec 1.5, 4.2)."""

from html import escape
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import backups
from ..api.system import backup_name, restore, stream
from ..backups import BackupError
from ..modules import ModuleError
from .render import hhmmss, page, render

COOKIE = "JSESSIONID"
MODULES = "/web/config/system.modules"


def _session(request: Request):
    return request.app.state.gateway.auth.session_for(request.cookies, COOKIE)


def _layout(request: Request, title: str, content: str, status: int = 200) -> Response:
    gw = request.app.state.gateway
    session = _session(request)
    if session:
        user_area = (
            f'<div class="user-info"><span>{escape(session.username)}</span> '
            '<a href="/web/logout">Sign Out</a></div>'
        )
    else:
        user_area = '<a id="login-link" href="/web/login">Sign In</a>'
    return page(
        "web_base.html",
        status=status,
        title=title,
        gateway=gw.config.gateway_name,
        countdown=hhmmss(gw.trial_seconds_left),
        reset_href="/web/home/reset-trial" if session else "/web/login",
        reset_text="Reset Trial",
        user_area=user_area,
        content=content,
    )


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=302)


def _login_required(request: Request) -> Response | None:
    return None if _session(request) else _redirect("/web/login")


async def root(request: Request) -> Response:
    return _redirect("/web/home")


async def home(request: Request) -> Response:
    gw = request.app.state.gateway
    content = (
        f'<div class="home"><h1>Gateway Home</h1><p class="gateway-version">'
        f'{escape(gw.config.full_version)}</p><p class="gateway-state">{gw.phase.value}</p></div>'
    )
    return _layout(request, "Home", content)


def _login_form(request: Request, username: str = "", error: str = "") -> Response:
    if username:
        fields = (
            f'<input type="hidden" name="username" value="{escape(username)}">'
            f'<p class="username-display">{escape(username)}</p>'
            '<input type="password" name="password" class="password-field" autofocus>'
        )
    else:
        fields = '<input type="text" name="username" class="username-field" autofocus>'
    content = render("web_login.html", fields=fields, error=error)
    return _layout(request, "Sign In", content, status=401 if error else 200)


async def login(request: Request) -> Response:
    gw = request.app.state.gateway
    if request.method == "GET":
        return _login_form(request)
    form = await request.form()
    username, password = str(form.get("username", "")), form.get("password")
    if not username or password is None:
        return _login_form(request, username)
    if not gw.auth.check_password(username, str(password)) or gw.auth_warming_up:
        return _login_form(request, username, "Invalid username or password.")
    session = gw.auth.open_session(username)
    response = _redirect("/web/home")
    response.set_cookie(COOKIE, session.sid, path="/", httponly=True, samesite="lax")
    return response


async def logout(request: Request) -> Response:
    request.app.state.gateway.auth.close_session(request.cookies, COOKIE)
    response = _redirect("/web/home")
    response.delete_cookie(COOKIE, path="/")
    return response


async def reset_trial(request: Request) -> Response:
    gw = request.app.state.gateway
    if _session(request) is None:
        return _redirect("/web/login")
    if gw.config.trial_reset_81 == "any" or gw.trial_expired:
        gw.reset_trial()
    return _redirect("/web/home")


def _module_rows(gw) -> str:
    rows = []
    for module in gw.modules.installed.values():
        state = "Running" if module.state == "ACTIVE" else "Not Running"
        link = f"{MODULES}/uninstall?moduleId={quote(module.id)}"
        rows.append(
            f'<tr data-module-id="{escape(module.id)}"><td class="module-name">'
            f"{escape(module.name)}</td><td>{escape(module.version)}</td><td>{state}</td>"
            f'<td>{module.licenseState}</td><td><a href="{link}">uninstall</a></td></tr>'
        )
    return "".join(rows)


async def modules(request: Request) -> Response:
    content = render("web_modules.html", rows=_module_rows(request.app.state.gateway))
    return _login_required(request) or _layout(request, "Modules", content)


def _form(request, heading: str, action: str, body: str, button: str, error: str = ""):
    content = render(
        "web_module_form.html",
        heading=heading,
        action=action,
        body=body,
        button=button,
        error=error,
    )
    return _layout(request, heading, content, status=400 if error else 200)


async def install(request: Request) -> Response:
    refused = _login_required(request)
    if refused:
        return refused
    file_input = '<input type="file" name="file" accept=".modl">'
    action = f"{MODULES}/install"
    if request.method == "GET":
        return _form(request, "Install or Upgrade a Module", action, file_input, "Install")
    upload = (await request.form()).get("file")
    try:
        result = request.app.state.gateway.modules.upload(await upload.read() if upload else b"")
    except ModuleError as exc:
        return _form(
            request, "Install or Upgrade a Module", action, file_input, "Install", exc.message
        )
    return _redirect(f"{MODULES}/accept?moduleId={quote(result.file.id)}")


def _acceptance(gw, module_id: str) -> tuple[str, str, str] | None:
    """(kind, heading, body) of the next acceptance page, ``None`` when nothing is left."""
    upload = gw.modules.get_upload(module_id)
    if not upload.cert_accepted:
        cert = gw.modules.certificate(module_id)
        details = f"<pre>{escape(cert['subject'])}\nSerial: {cert['serialNumber']}</pre>"
        label = "I accept the certificate"
        return "cert", "Module Certificate", details + _checkbox(label)
    if not upload.eula_accepted:
        text = escape(gw.modules.eula(module_id)["text"])
        label = "I accept the terms of the license agreement"
        return "eula", "License Agreement", f"<pre class='eula'>{text}</pre>" + _checkbox(label)
    return None


def _checkbox(label: str) -> str:
    return f'<label><input type="checkbox" name="accept" value="true"> {label}</label>'


async def accept(request: Request) -> Response:
    gw = request.app.state.gateway
    module_id = request.query_params.get("moduleId", "")
    refused = _login_required(request)
    if refused:
        return refused
    try:
        step = _acceptance(gw, module_id)
        action = f"{MODULES}/accept?moduleId={quote(module_id)}"
        if step and request.method == "POST":
            if (await request.form()).get("accept") != "true":
                return _form(request, step[1], action, step[2], "Accept", "Accept to continue.")
            accept_step = (
                gw.modules.accept_certificate if step[0] == "cert" else gw.modules.accept_eula
            )
            accept_step(module_id)
            step = _acceptance(gw, module_id)
        if step:
            return _form(request, step[1], action, step[2], "Accept")
        gw.modules.install(module_id, restart_needed=False, now_ms=gw.clock.epoch_ms())
    except ModuleError as exc:
        return _layout(request, "Modules", f'<p class="error">{escape(exc.message)}</p>', 404)
    return _redirect(MODULES)


async def uninstall(request: Request) -> Response:
    gw = request.app.state.gateway
    module_id = request.query_params.get("moduleId", "")
    refused = _login_required(request)
    if refused:
        return refused
    if request.method == "GET":
        action = f"{MODULES}/uninstall?moduleId={quote(module_id)}"
        body = f"<p>Uninstall {escape(module_id)}?</p>"
        return _form(request, "Uninstall Module", action, body, "Uninstall")
    try:
        gw.modules.uninstall(module_id, restart_needed=False)
    except ModuleError as exc:
        return _layout(request, "Modules", f'<p class="error">{escape(exc.message)}</p>', 404)
    return _redirect(MODULES)


async def backup_page(request: Request) -> Response:
    content = render("web_backup.html", message=request.query_params.get("message", ""))
    return _login_required(request) or _layout(request, "Backup/Restore", content)


async def backup_download(request: Request) -> Response:
    gw = request.app.state.gateway
    data = backups.build(gw)
    return _login_required(request) or stream(data, "application/octet-stream", backup_name(gw))


async def backup_restore(request: Request) -> Response:
    refused = _login_required(request)
    if refused:
        return refused
    upload = (await request.form()).get("file")
    try:
        await restore(request.app.state.gateway, await upload.read() if upload else b"")
    except BackupError as exc:
        return _redirect(f"/web/config/system.backup?message={quote(str(exc))}")
    return _redirect("/web/config/system.backup?message=Restored")


ROUTES = [
    Route("/", root),
    Route("/web", root),
    Route("/web/home", home),
    Route("/web/login", login, methods=["GET", "POST"]),
    Route("/web/logout", logout),
    Route("/web/home/reset-trial", reset_trial),
    Route(MODULES, modules),
    Route(f"{MODULES}/install", install, methods=["GET", "POST"]),
    Route(f"{MODULES}/accept", accept, methods=["GET", "POST"]),
    Route(f"{MODULES}/uninstall", uninstall, methods=["GET", "POST"]),
    Route("/web/config/system.backup", backup_page),
    Route("/web/config/system.backup/download", backup_download),
    Route("/web/config/system.backup/restore", backup_restore, methods=["POST"]),
]
