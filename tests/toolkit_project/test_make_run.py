"""Smoke test of `make run`: start, become ready, log in with the printed password, stop clean."""

import contextlib
import signal
import subprocess
import sys

import httpx
import psutil
import pytest

from tests.toolkit_project.launched import REPOSITORY, Run

pytestmark = pytest.mark.slow


def log_in(base: str, username: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as client:
        client.get("/accounts/login/")
        return client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
            headers={"Referer": f"{base}/accounts/login/"},
        )


def log_in_with_a_browser(page, base: str, username: str, password: str) -> dict:
    """Log in through the real page and wait for the live health indicator to turn green."""
    page.goto(f"{base}/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#health[data-state=ok]", timeout=30_000)
    return {
        "user": page.text_content("[data-testid=current-user]"),
        "health": page.text_content("#health .label"),
        "navigation": page.locator("header nav a").all_text_contents(),
    }


def command_lines(processes: list[psutil.Process]) -> str:
    """The command lines of ``processes``, but those already gone (Chromium's helpers come and
    go)."""
    lines = []
    for process in processes:
        with contextlib.suppress(psutil.Error):
            lines.append(" ".join(process.cmdline()))
    return " ".join(lines)


def test_make_run_starts_serves_and_stops_cleanly(tmp_path, page):
    run = Run(tmp_path / "data")
    try:
        user = run.wait_for_line(r"^  User +(\S+)$").group(1)
        password = run.wait_for_line(r"^  Password +(\S+)$").group(1)
        run.wait_for_line(r"^Press Ctrl-C to stop\.$")
        base = f"http://127.0.0.1:{run.port}"
        ready = httpx.get(f"{base}/health/ready", timeout=10)
        ping = httpx.get(f"http://127.0.0.1:{run.simulator_port}/StatusPing", timeout=10)
        response = log_in(base, user, password)
        shell = log_in_with_a_browser(page, base, user, password)
        page.screenshot(path=str(tmp_path / "shell.png"))
        # A command in another terminal reaches the embedded Redis and worker; the run's
        # Chromium is kept by the worker and must stop with everything else.
        cli = subprocess.run(
            [
                sys.executable, "manage.py", "run_playbook", "perspective/test_buttons.yaml",
                "-p", f"gateway_url=http://127.0.0.1:{run.simulator_port}", "--follow",
            ],
            env=run.env, cwd=REPOSITORY, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        second = subprocess.run(
            ["make", "--no-print-directory", "-C", str(REPOSITORY), "run"],
            env=run.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        children = run.descendants()
        names = command_lines(children)
    finally:
        code = run.interrupt()

    assert ready.status_code == 200
    assert ping.json() == {"state": "RUNNING"}
    assert response.status_code == 200
    assert f'data-testid="current-user">{user}<' in response.text
    assert shell["user"] == user
    assert shell["health"] == "All services up"
    assert "Admin" in shell["navigation"]
    assert "The portal is already running from" in second.stdout
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "--toolkit-browser=" in names
    assert second.returncode != 0
    for process in ("daphne", "worker", "beat", "redis-server", "run_gateway_simulator"):
        assert process in names
    # Ctrl-C reaches make and the launcher together; make dies by the signal, the launcher
    # stops its children and exits on its own.
    assert code in (0, -signal.SIGINT)
    _, alive = psutil.wait_procs(children, timeout=60)
    assert [process.pid for process in alive] == []
    assert not (tmp_path / "data" / "run.lock").exists()
