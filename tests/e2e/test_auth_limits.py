"""Lock-out and the launch limit as a user meets them in real Chromium against a live Daphne."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.executions.factories import playbook

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000
NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 1}
"""


@pytest.fixture
def limited(monkeypatch, request):
    """The live Daphne with a lock-out after 2 failures and 1 launch a minute per user."""
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "2")
    monkeypatch.setenv("LAUNCH_RATE_LIMIT", "1/min")
    return request.getfixturevalue("live_server_url")


@pytest.fixture
def operator_user(team):
    return UserFactory(username="lena-launcher", roles=["operator"], teams=[team])


def test_a_locked_out_user_sees_why_even_with_the_right_password(limited, page, operator_user):
    for password in ("wrong-1", "wrong-2", PASSWORD):
        page.goto(f"{limited}/accounts/login/")
        page.fill("#id_username", operator_user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")

    expect(page.locator("[data-testid=locked-out]")).to_have_text(
        "Too many failed logins for this user. Try again in 5 minutes.", timeout=WAIT
    )
    page.goto(f"{limited}/")
    assert page.url.startswith(f"{limited}/accounts/login/")


def test_the_run_dialog_says_when_the_launch_limit_is_reached(limited, log_in, team, operator_user):
    book = playbook(team, NAP, name="Nap run")
    page = log_in(operator_user)

    for attempt in range(2):
        page.goto(f"{limited}/playbooks/")
        card = page.locator(f'[data-testid=playbook-card][data-playbook="{book.pk}"]')
        card.get_by_role("button", name="Run").click()
        expect(page.locator("#run-dialog")).to_be_visible(timeout=WAIT)
        page.click("[data-testid=start-run]")
        if attempt == 0:
            page.wait_for_url(re.compile(r"/executions/[0-9a-f-]{36}/$"), timeout=WAIT)

    expect(page.locator("#run-dialog [role=alert]")).to_contain_text(
        "Too many runs started: at most 1 per minute for each user.", timeout=WAIT
    )
