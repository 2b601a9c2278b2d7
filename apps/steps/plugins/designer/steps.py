"""Handlers of the ``designer.*`` steps (Linux, xdotool). See ``desktop`` for the window titles.

The Designer processes a run starts are a run resource: they are stopped when the run ends.
"""

import functools
import time

from apps.credentials.services import ResolvedCredential
from apps.steps.errors import StepError
from apps.steps.params import parse
from apps.steps.plugins.ai.keys import named_credential
from apps.steps.plugins.designer.capability import desktop_problem
from apps.steps.plugins.designer.desktop import TITLES, Desktop
from apps.steps.plugins.designer.launcher import (
    launch_command,
    launcher_path,
    shortcut_command,
    start,
)

LAUNCH_TIMEOUT_S = 60.0
CLOSE_TIMEOUT_S = 10.0


def designer_step(step_type: str):
    """Turn ``action(desktop, context, values)`` into a handler that runs on desktops only."""

    def decorate(action):
        @functools.wraps(action)
        def run(context, params: dict) -> dict:
            values = parse(step_type, params, context.log)
            problem = desktop_problem()
            if problem is not None:
                raise StepError(f"{step_type} cannot run here: {problem}", retryable=False)
            return action(Desktop(context), context, values)

        return run

    return decorate


@designer_step("designer.launch")
def run_launch(desktop, context, values):
    path = launcher_path(context, values["launcher_file"])
    process = start(context, launch_command(path))
    deadline = time.monotonic() + LAUNCH_TIMEOUT_S
    while not desktop.windows(TITLES["any"]):
        if process.poll() not in (None, 0):
            raise StepError(f"The launcher exited with code {process.returncode} (see log).")
        if time.monotonic() >= deadline:
            raise StepError(f"No Designer window within {LAUNCH_TIMEOUT_S:g} s of launching.")
        context.sleep(0.5)
    return {"status": "launched", "launcher_file": str(path)}


@designer_step("designer.launch_shortcut")
def run_launch_shortcut(desktop, context, values):
    start(context, shortcut_command(values["designer_shortcut"]))
    credential = values.get("gateway_credential")
    if isinstance(credential, str):
        credential = named_credential(context, credential) or missing(credential)
    username = credential.username if credential else values["username"]
    password = credential.secret if credential else secret(values.get("password", ""))
    log_in(desktop, username, password, values["timeout"])
    open_project(desktop, values["project_name"], values["timeout"])
    return {
        "status": "launched_and_opened",
        "project": values["project_name"],
        "username": username,
    }


@designer_step("designer.login")
def run_login(desktop, context, values):
    log_in(desktop, values["username"], secret(values["password"]), values["timeout"])
    return {"status": "logged_in", "username": values["username"]}


@designer_step("designer.open_project")
def run_open_project(desktop, context, values):
    name = values.get("project_name")
    if not name:
        return {"status": "awaiting_manual_selection", "project": None}
    open_project(desktop, name, values["timeout"])
    return {"status": "project_opened", "project": name}


@designer_step("designer.close")
def run_close(desktop, context, values):
    for window in desktop.windows(TITLES["designer"]):
        desktop.activate(window)
        desktop.key("alt+F4")
        if not desktop.wait_gone(window, TITLES["designer"], CLOSE_TIMEOUT_S):
            desktop.xdotool("windowkill", window)
    return {"status": "closed"}


@designer_step("designer.screenshot")
def run_screenshot(desktop, context, values):
    window = desktop.wait_window(TITLES["designer"], 0, "Designer window")
    name = values.get("name") or f"designer_screenshot_{int(time.time())}"
    name = name if name.lower().endswith(".png") else f"{name}.png"
    artifact = context.save_artifact(
        "screenshot", name, data=desktop.screenshot(window), content_type="image/png"
    )
    return {"screenshot": artifact.name, "status": "captured"}


@designer_step("designer.wait")
def run_wait(desktop, context, values):
    desktop.wait_window(TITLES["designer"], values["timeout"], "Designer window")
    return {"status": "window_found"}


def log_in(desktop, username: str, password: str, timeout: float) -> None:
    window = desktop.wait_window(TITLES["login"], timeout, "Designer login window")
    desktop.activate(window)
    desktop.type_text(username)
    desktop.key("Tab")
    desktop.type_text(password)
    desktop.key("Return")
    if not desktop.wait_gone(window, TITLES["login"], timeout):
        raise StepError(f"The login window is still open after {timeout:g} s: check the user.")


def open_project(desktop, name: str, timeout: float) -> None:
    window = desktop.wait_window(TITLES["project"], timeout, "project selection window")
    desktop.activate(window)
    desktop.type_text(name)
    desktop.key("Return")
    desktop.wait_window(name, timeout, f"Designer window of project '{name}'")


def missing(name: str):
    raise StepError(f"No credential named '{name}' for this run.", retryable=False)


def secret(value) -> str:
    return value.secret if isinstance(value, ResolvedCredential) else str(value or "")
