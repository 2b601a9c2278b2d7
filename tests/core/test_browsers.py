import pytest
from django.test import override_settings

from apps.core import browsers


def test_configured_executable_is_used(tmp_path):
    binary = tmp_path / "chromium"
    binary.write_text("")

    with override_settings(PLAYWRIGHT_CHROMIUM_EXECUTABLE=str(binary)):
        assert browsers.chromium_executable() == str(binary)


@override_settings(PLAYWRIGHT_CHROMIUM_EXECUTABLE="/nowhere/chromium")
def test_configured_executable_that_is_missing_is_an_error():
    with pytest.raises(
        browsers.ChromiumNotFoundError, match="'/nowhere/chromium', which does not exist"
    ):
        browsers.chromium_executable()


@override_settings(PLAYWRIGHT_CHROMIUM_EXECUTABLE="")
def test_chromium_on_path_is_found(monkeypatch):
    monkeypatch.setattr(
        browsers.shutil, "which", {"chromium-browser": "/usr/bin/chromium-browser"}.get
    )

    assert browsers.chromium_executable() == "/usr/bin/chromium-browser"


@override_settings(PLAYWRIGHT_CHROMIUM_EXECUTABLE="")
def test_no_chromium_means_playwrights_own(monkeypatch):
    monkeypatch.setattr(browsers.shutil, "which", lambda name: None)

    assert browsers.chromium_executable() is None
