"""The web UI stubs over HTTP: 8.3 pages under /app and 8.1 pages under /web (spec 4.2, 9.4)."""

import io
import zipfile

import pytest

from apps.simulator.state import Phase

from .helpers import API, TOKEN, build_modl, client_for, make, web_login

PAGES_83 = [
    "/app/platform/system/status",
    "/app/platform/system/modules",
    "/app/platform/system/licensing",
    "/app/platform/system/backup-restore/backup",
    "/app/platform/security/api-keys",
]


async def test_83_home_is_public_with_a_login_link(client):
    home = await client.get("/app/home")
    app_root = await client.get("/app")

    assert home.status_code == 200
    assert 'class="login-link"' in home.text
    assert 'data-page="home"' in home.text
    assert "<nav" in home.text
    assert 'data-trial-seconds="7200"' in home.text
    assert 'class="restart-required-bar"' not in home.text
    assert app_root.headers["location"] == "/app/home"


@pytest.mark.parametrize("path", PAGES_83)
async def test_83_config_pages_need_a_session(client, path):
    anonymous = await client.get(path)
    await web_login(client)
    page = await client.get(path)

    assert (anonymous.status_code, anonymous.headers["location"]) == (302, "/data/app/login")
    assert page.status_code == 200
    assert 'class="user-name">admin<' in page.text


async def test_83_pages_carry_the_playbook_texts(client, gateway):
    await web_login(client)
    modules = (await client.get("/app/platform/system/modules")).text
    status = (await client.get("/app/platform/system/status")).text
    licensing = (await client.get("/app/platform/system/licensing")).text
    backup = (await client.get("/app/platform/system/backup-restore/backup")).text
    keys = (await client.get("/app/platform/security/api-keys")).text
    gateway.expire_trial()
    expired = (await client.get("/app/platform/system/licensing")).text
    header = (await client.get("/app/home")).text
    script = await client.get("/app/static/modules.js")
    missing = await client.get("/app/static/secret.py")

    assert "Install or Upgrade Module" in modules
    assert 'accept=".modl"' in modules
    assert 'data-label="Install Module" data-component="web-ui.button"' in modules
    assert 'placeholder="Filter modules..."' in modules
    assert "I understand the risks" in status
    assert 'id="restart gateway-button"' in status
    assert "Activate" in licensing
    assert "Reset Trial" in expired
    assert "Trial expired" in header
    assert "Download Backup" in backup
    assert 'id="name-input"' in keys
    assert 'id="api-key" type="text" disabled' in keys
    assert 'data-key-name="simulator"' in keys
    assert "I accept the module certificate" in script.text
    assert script.headers["content-type"].startswith("text/javascript")
    assert missing.status_code == 404


async def test_83_restart_bar_appears_with_pending_changes(client, gateway):
    await web_login(client)
    gateway.modules.uninstall("com.inductiveautomation.vision")

    home = (await client.get("/app/home")).text
    status = (await client.get("/app/platform/system/status")).text

    assert 'class="restart-required-bar"' in home
    assert status.count("Restart Gateway</button>") == 2


async def test_81_login_is_two_steps_and_shows_the_user():
    app, gateway = make(version="8.1.x")
    async with client_for(app) as http:
        home = (await http.get("/web/home")).text
        step1 = (await http.get("/web/login")).text
        step2 = await http.post("/web/login", data={"username": "admin"})
        wrong = await http.post("/web/login", data={"username": "admin", "password": "nope"})
        done = await http.post("/web/login", data={"username": "admin", "password": "password"})
        after = (await http.get("/web/home")).text
        logout = await http.get("/web/logout")
        root = await http.get("/")

    assert 'id="login-link"' in home
    assert 'class="countdown">02:00:00<' in home
    assert 'name="username" class="username-field"' in step1
    assert 'class="submit-button">CONTINUE<' in step1
    assert 'name="password" class="password-field"' in step2.text
    assert wrong.status_code == 401
    assert "Invalid username or password." in wrong.text
    assert done.headers["location"] == "/web/home"
    assert '<div class="user-info"><span>admin</span>' in after
    assert 'id="reset-trial-anchor" href="/web/home/reset-trial">Reset Trial<' in after
    assert logout.headers["location"] == "/web/home"
    assert root.headers["location"] == "/web/home"


async def login81(http):
    await http.post("/web/login", data={"username": "admin", "password": "password"})


@pytest.mark.parametrize(("policy", "resets_early"), [("any", True), ("expired", False)])
async def test_81_trial_reset_policy(policy, resets_early):
    app, gateway = make(version="8.1.x", trial_reset_81=policy)
    gateway.clock.advance(100)
    async with client_for(app) as http:
        anonymous = await http.get("/web/home/reset-trial")
        await login81(http)
        early = await http.get("/web/home/reset-trial")
        early_left = gateway.trial_seconds_left
        gateway.expire_trial()
        await http.get("/web/home/reset-trial")

    assert anonymous.headers["location"] == "/web/login"
    assert early.headers["location"] == "/web/home"
    assert (early_left == 7200) is resets_early
    assert gateway.trial_seconds_left == 7200


async def test_81_module_install_hot_loads_after_certificate_and_eula():
    app, gateway = make(version="8.1.x")
    files = {"file": ("demo.modl", build_modl(), "application/octet-stream")}
    async with client_for(app) as http:
        anonymous = await http.get("/web/config/system.modules")
        await login81(http)
        listing = (await http.get("/web/config/system.modules")).text
        form = (await http.get("/web/config/system.modules/install")).text
        uploaded = await http.post("/web/config/system.modules/install", files=files)
        accept_url = uploaded.headers["location"]
        cert_page = (await http.get(accept_url)).text
        refused = await http.post(accept_url, data={})
        eula_page = await http.post(accept_url, data={"accept": "true"})
        installed = await http.post(accept_url, data={"accept": "true"})
        gone = await http.get(accept_url)
        bad = await http.post(
            "/web/config/system.modules/install",
            files={"file": ("x.modl", b"zip?", "application/octet-stream")},
        )

    assert anonymous.headers["location"] == "/web/login"
    assert "Install or Upgrade a Module" in listing
    assert 'accept=".modl"' in form
    assert "I accept the certificate" in cert_page
    assert refused.status_code == 400
    assert "I accept the terms of the license agreement" in eula_page.text
    assert "Demo licence text" in eula_page.text
    assert installed.headers["location"] == "/web/config/system.modules"
    assert gateway.modules.installed["com.example.demo"].state == "ACTIVE"
    assert gone.status_code == 404
    assert bad.status_code == 400


async def test_81_uninstall_and_backup_pages():
    app, gateway = make(version="8.1.x")
    async with client_for(app) as http:
        await login81(http)
        confirm = await http.get(
            "/web/config/system.modules/uninstall?moduleId=com.inductiveautomation.vision"
        )
        removed = await http.post(
            "/web/config/system.modules/uninstall?moduleId=com.inductiveautomation.vision"
        )
        unknown = await http.post("/web/config/system.modules/uninstall?moduleId=nope")
        page = (await http.get("/web/config/system.backup")).text
        download = await http.get("/web/config/system.backup/download")
        restored = await http.post(
            "/web/config/system.backup/restore",
            files={"file": ("b.gwbk", download.content, "application/octet-stream")},
        )
        broken = await http.post(
            "/web/config/system.backup/restore",
            files={"file": ("b.gwbk", b"x", "application/octet-stream")},
        )

    assert "Uninstall com.inductiveautomation.vision?" in confirm.text
    assert removed.headers["location"] == "/web/config/system.modules"
    assert "com.inductiveautomation.vision" not in gateway.modules.installed
    assert unknown.status_code == 404
    assert 'id="download-backup">Download Backup<' in page
    assert "db_backup_sqlite.idb" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert restored.headers["location"] == "/web/config/system.backup?message=Restored"
    assert "Not%20a%20gateway%20backup" in broken.headers["location"]
    assert gateway.lifecycle.restarts == 1


async def test_81_pages_need_login():
    app, _ = make(version="8.1.x")
    async with client_for(app) as http:
        paths = [
            "/web/config/system.modules/install",
            "/web/config/system.modules/accept?moduleId=x",
            "/web/config/system.modules/uninstall?moduleId=x",
            "/web/config/system.backup",
            "/web/config/system.backup/download",
        ]
        answers = [(await http.get(p)).headers["location"] for p in paths]
        restore = await http.post("/web/config/system.backup/restore")

    assert answers == ["/web/login"] * 5
    assert restore.headers["location"] == "/web/login"


async def test_81_login_during_auth_warmup_fails():
    app, gateway = make(version="8.1.x", auth_warmup_s=10)
    gateway.set_phase(Phase.RUNNING)
    async with client_for(app) as http:
        response = await http.post("/web/login", data={"username": "admin", "password": "password"})

    assert response.status_code == 401


async def test_web_session_can_drive_module_install_like_the_page(client):
    csrf = await web_login(client)
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/octet-stream"}
    uploaded = await client.post(
        f"{API}/modules/upload?fileName=demo.modl", content=build_modl(eula=None), headers=headers
    )
    await client.post(
        f"{API}/modules/certificate?moduleId=com.example.demo", headers={"X-CSRF-Token": csrf}
    )
    install = await client.post(
        f"{API}/modules/install?moduleId=com.example.demo", headers={"X-CSRF-Token": csrf}
    )
    page = (await client.get("/app/platform/system/modules")).text

    assert uploaded.status_code == 200
    assert install.status_code == 200
    assert '"pending": true' in page
    assert (await client.get(f"{API}/restart-tasks/pending", headers=TOKEN)).json()["pending"]
