"""Builders shared by the simulator tests: .modl files, clients, a web-session login."""

import io
import zipfile

import httpx

from apps.simulator.app import create_app
from apps.simulator.config import SimConfig

TOKEN = {"X-Ignition-API-Token": "simulator:simulator-secret"}
API = "/data/api/v1"
FAST = {"time_scale": 1.0, "grace_s": 5, "stopping_s": 1, "starting_s": 35, "down_s": 10}


def build_modl(
    module_id: str = "com.example.demo",
    name: str = "Demo Module",
    version: str = "1.0.0",
    *,
    signed: bool = True,
    certificate: bool = True,
    eula: str | None = "Demo licence text",
    xml: str | None = None,
) -> bytes:
    """A real ``.modl`` zip with ``module.xml`` in the element order of IA's Gradle plugin."""
    license_element = "<license>license.html</license>" if eula is not None else ""
    module_xml = xml or (
        '<?xml version="1.0" encoding="UTF-8"?>\n<modules><module>'
        f"<name>{name}</name><id>{module_id}</id><version>{version}</version>"
        f"<description>{name} for tests</description>{license_element}"
        "<requiredIgnitionVersion>8.3.0</requiredIgnitionVersion><freeModule>false</freeModule>"
        '<hook scope="G">com.example.GatewayHook</hook><jar scope="G">demo-gateway.jar</jar>'
        "</module></modules>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("module.xml", module_xml)
        archive.writestr("demo-gateway.jar", b"PK fake jar")
        if eula is not None:
            archive.writestr("license.html", eula)
        if signed:
            archive.writestr("signatures.properties", "module.xml=c2lnbmF0dXJl\n")
        if signed and certificate:
            archive.writestr("certificates.p7b", f"certificate chain of {module_id}")
    return buffer.getvalue()


def client_for(app, base_url: str = "http://testserver") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


def make(**values):
    """An app and its gateway with the control surface on and a paused clock."""
    app = create_app(SimConfig(control=True, **values))
    app.state.gateway.clock.pause()
    return app, app.state.gateway


async def web_login(client: httpx.AsyncClient, username="admin", password="password") -> str:  # noqa: S107
    """Run the 8.3 IdP login like the browser page does; returns the CSRF token."""
    start = await client.get("/data/app/login")
    auth = await client.get(start.headers["location"])
    token = httpx.URL(auth.headers["location"]).params["token"]
    challenge = (
        await client.post("/idp/default/authn/next-challenge", json={"token": token})
    ).json()
    body = {
        "token": challenge["token"],
        "rememberMe": False,
        "challenge": {"username": username, "password": password},
    }
    submitted = (await client.post("/idp/default/authn/submit-challenge/basic", json=body)).json()
    assert submitted["success"] is True
    done = (
        await client.post("/idp/default/authn/next-challenge", json={"token": submitted["token"]})
    ).json()
    assert done["complete"] is True
    query = httpx.URL(start.headers["location"]).query.decode()
    back = await client.get(f"/idp/default/oidc/auth?{query}&token={done['token']}")
    callback = await client.get(back.headers["location"])
    assert callback.status_code == 302
    return (await client.get("/data/app/session")).json()["csrfToken"]
