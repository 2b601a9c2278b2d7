"""``/data/perspective/client/<project>/<page>``: the demo views of spec 4.3."""

from html import escape

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..web.render import page
from .views import PAGES

CLIENT = "/data/perspective/client"
VIEW_FILE = "com.inductiveautomation.perspective/views/{}/view.json"


def _logged_in(request: Request) -> bool:
    auth = request.app.state.gateway.auth
    return bool(
        auth.session_for(request.cookies) or auth.session_for(request.cookies, "JSESSIONID")
    )


def _login_panel(request: Request) -> str:
    login = "/data/app/login" if request.app.state.gateway.config.is_83 else "/web/login"
    return (
        '<div class="login-panel"><p>This project requires you to log in.</p>'
        f'<a class="submit-button" href="{login}">CONTINUE TO LOG IN</a></div>'
    )


def _not_found(what: str) -> str:
    return f'<div class="page-not-found"><h1>Page Not Found</h1><p>{escape(what)}</p></div>'


async def client(request: Request) -> Response:
    gw = request.app.state.gateway
    name = request.path_params["project"]
    page_path = request.path_params.get("page", "").strip("/")
    project = gw.projects.find(name)
    if project is None or not project.enabled:
        content, status, title = _not_found(f"Project '{name}' not found."), 404, "Not Found"
    elif project.requires_auth and not _logged_in(request):
        content, status, title = _login_panel(request), 200, "Login"
    else:
        title, build = PAGES.get(page_path, ("Not Found", None))
        has_view = build is not None and VIEW_FILE.format(title) in project.files
        base = f"{CLIENT}/{project.name}"
        content = build(base) if has_view else _not_found(f"No view is mounted at /{page_path}.")
        status = 200
    expired = '<div class="not-licensed-header">Trial Expired</div>' if gw.trial_expired else ""
    return page(
        "perspective.html",
        status=status,
        title=title,
        project=name,
        page_path="/" + page_path,
        content=content,
        license_header=expired,
    )


ROUTES = [
    Route(CLIENT + "/{project}", client),
    Route(CLIENT + "/{project}/{page:path}", client),
]
