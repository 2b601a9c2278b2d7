"""Find and stop Chromium's processes from any thread (Playwright's own API is thread-bound).

Each run's Chromium gets a unique, otherwise ignored ``--toolkit-browser=<id>`` switch so its
main process can be told apart from other runs' browsers on the same worker.
"""

import psutil


def browser_process(marker: str) -> psutil.Process | None:
    """The main Chromium process started with the switch ``marker``, among our descendants."""
    for child in psutil.Process().children(recursive=True):
        try:
            cmdline = child.cmdline()
        except psutil.Error:
            continue
        if marker in cmdline and not any(arg.startswith("--type=") for arg in cmdline):
            return child
    return None


def kill_renderers(browser: psutil.Process | None) -> list[psutil.Process]:
    """Kill the browser's renderer processes: its pages crash, the browser and cookies stay.

    A crashed page makes every pending Playwright call on it fail at once (a navigation with
    ``net::ERR_ABORTED``, a wait with "Page crashed"). Returns the killed processes.
    """
    if browser is None:
        return []
    killed = []
    try:
        children = browser.children(recursive=True)
    except psutil.Error:
        return []
    for child in children:
        try:
            if "--type=renderer" in child.cmdline():
                child.kill()
                killed.append(child)
        except psutil.Error:
            continue
    return killed


def wait_gone(processes: list[psutil.Process], seconds: float = 3) -> None:
    """Wait until killed processes are gone, so a new tab never lands in a dying renderer."""
    psutil.wait_procs(processes, timeout=seconds)
