"""8.3 web UI pages (React in the real gateway): only what the playbooks touch (spec 4.2)."""

import json
from html import escape

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .render import TEMPLATES, hhmmss, page, render

RESTART_BAR = (
    '<div class="restart-required-bar" role="alert"><span>Restart required: changes take '
    "effect after a gateway restart.</span>"
    '<button type="button" class="restart-button" onclick="sim.openRestart()">Restart Gateway'
    "</button></div>"
)
STATIC = {"modules.js": "text/javascript"}


def _layout(request: Request, title: str, page_id: str, content: str, scripts: str = ""):
    gw = request.app.state.gateway
    session = gw.auth.session_for(request.cookies)
    if session:
        user_area = f'<span class="user-name">{escape(session.username)}</span>'
    else:
        user_area = '<a href="/data/app/login" class="login-link" id="login-link">Sign in</a>'
    left = gw.trial_seconds_left
    return page(
        "app_base.html",
        title=title,
        page_id=page_id,
        gateway=gw.config.gateway_name,
        trial_seconds=left,
        trial_text=f"Trial {hhmmss(left)}" if left else "Trial expired",
        user_area=user_area,
        content=content,
        restart_bar=RESTART_BAR if gw.modules.pending() else "",
        scripts=scripts,
    )


def _login_required(request: Request) -> Response | None:
    gw = request.app.state.gateway
    if gw.auth.session_for(request.cookies) is None:
        return RedirectResponse("/data/app/login", status_code=302)
    return None


async def root(request: Request) -> Response:
    return RedirectResponse("/app/home", status_code=302)


async def home(request: Request) -> Response:
    gw = request.app.state.gateway
    left = gw.trial_seconds_left
    content = render(
        "app_home.html",
        version=gw.config.full_version,
        state=gw.phase.value,
        trial_seconds=left,
        trial_text=hhmmss(left),
    )
    return _layout(request, "Home", "home", content)


async def status(request: Request) -> Response:
    gw = request.app.state.gateway
    button = ""
    if not gw.modules.pending():
        button = '<button type="button" class="restart-button" onclick="sim.openRestart()">'
        button += "Restart Gateway</button>"
    content = render(
        "app_status.html",
        state=gw.phase.value,
        uptime=hhmmss(gw.uptime_ms() // 1000),
        version=gw.config.full_version,
        restart_button=button,
    )
    return _login_required(request) or _layout(request, "Status", "status", content)


async def modules(request: Request) -> Response:
    gw = request.app.state.gateway
    items = [{**m.as_item(), "pending": bool(m.pending)} for m in gw.modules.installed.values()]
    data = json.dumps(items).replace("</", "<\\/")
    content = render("app_modules.html", modules_json=data)
    return _login_required(request) or _layout(request, "Modules", "modules", content)


async def licensing(request: Request) -> Response:
    gw = request.app.state.gateway
    left = gw.trial_seconds_left
    if left <= 0:
        box = (
            '<div class="trial-box trial-expired" style="background:#fde68a;padding:12px">'
            "<p>The trial period has expired.</p>"
            '<button type="button" id="reset-trial-button" onclick="resetTrial()">Reset Trial'
            "</button></div>"
        )
    else:
        box = (
            '<div class="trial-box trial-active" style="background:#dbeafe;padding:12px">'
            f'<p>Trial mode: <span class="trial-remaining">{hhmmss(left)}</span> remaining.</p>'
            '<button type="button" id="activate-button">Activate</button></div>'
        )
    content = render("app_licensing.html", trial_box=box)
    return _login_required(request) or _layout(request, "Licensing", "licensing", content)


async def backup(request: Request) -> Response:
    content = render("app_backup.html")
    return _login_required(request) or _layout(request, "Backup/Restore", "backup", content)


async def api_keys(request: Request) -> Response:
    gw = request.app.state.gateway
    rows = []
    for token in gw.resources.entries("ignition/api-token"):
        profile = token["config"].get("profile", {})
        name, signature = escape(token["name"]), escape(token["signature"])
        levels = json.dumps(profile.get("securityLevels", []))
        rows.append(
            f'<tr data-key-name="{name}"><td class="key-name">{name}</td>'
            f"<td>{escape(levels)}</td><td>{bool(profile.get('secureChannelRequired'))}</td>"
            f"<td><button type=\"button\" onclick=\"deleteKey('{name}', '{signature}')\">Delete"
            "</button></td></tr>"
        )
    content = render("app_api_keys.html", rows="".join(rows))
    return _login_required(request) or _layout(request, "API Keys", "api-keys", content)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return Response("Not found", status_code=404)
    return Response((TEMPLATES / name).read_bytes(), media_type=STATIC[name])


ROUTES = [
    Route("/", root),
    Route("/app", root),
    Route("/app/home", home),
    Route("/app/platform/system/status", status),
    Route("/app/platform/system/modules", modules),
    Route("/app/platform/system/licensing", licensing),
    Route("/app/platform/system/backup-restore/backup", backup),
    Route("/app/platform/system/backup-restore/restore", backup),
    Route("/app/platform/security/api-keys", api_keys),
    Route("/app/static/{name}", static),
]
