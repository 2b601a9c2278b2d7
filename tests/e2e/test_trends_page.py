"""The trends page in real Chromium against Daphne: both charts drawn, the last failure's
screenshot loaded through the run's artifact view, under the portal's Content-Security-Policy
and with nothing the accessibility check finds."""

import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import CHECK
from tests.playbooks.factories import PlaybookFactory
from tests.reports.history import FAIL, PASS, RETRIED, days_ago, finished_run
from tests.reports.history import screenshot as screenshot_of
from tests.security.test_csp_pages import WATCH_VIOLATIONS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000


def png(width: int = 8, height: int = 6) -> bytes:
    """A small red PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def artifacts_root(monkeypatch, settings, tmp_path):
    """The run files of this test, for the test and for the Daphne it starts."""
    monkeypatch.setenv("ARTIFACTS_ROOT", str(tmp_path))
    settings.ARTIFACTS_ROOT = tmp_path
    return tmp_path


def test_the_trends_page_draws_its_charts_and_the_failures_screenshot(
    artifacts_root, team, viewer, log_in, live_server_url, screenshot
):
    playbook = PlaybookFactory(team=team, name="Nightly backup")
    finished_run(playbook, ended=days_ago(2), seconds=30, steps={"login": PASS})
    finished_run(playbook, ended=days_ago(1), seconds=45, steps={"login": RETRIED})
    failed = finished_run(
        playbook, status="failed", ended=days_ago(0), seconds=80, steps={"login": FAIL}
    )
    shot = screenshot_of(failed, "login")
    (artifacts_root / shot.path).parent.mkdir(parents=True)
    (artifacts_root / shot.path).write_bytes(png())
    page = log_in(viewer)
    page.add_init_script(WATCH_VIOLATIONS)

    page.goto(f"{live_server_url}/trends/playbooks/{playbook.pk}/?days=7")

    expect(page.locator("[data-testid=pass-rate-chart] g.day")).to_have_count(3)
    expect(page.locator("[data-testid=duration-chart] path.line.median")).to_be_visible()
    expect(page.locator("[data-testid=flaky-table] tbody tr")).to_have_count(1)
    image = page.locator("[data-testid=last-failure-screenshot] img")
    expect(image).to_be_visible(timeout=WAIT)
    page.wait_for_load_state("networkidle")
    assert image.evaluate("img => img.naturalWidth") == 8
    assert page.evaluate("window.__violations") == []
    assert page.evaluate(CHECK) == []
    screenshot("trends-playbook")
