"""A new user runs the shipped Gateway Login playbook with a vault credential, from the UI.

Real Chromium drives the portal (live Daphne, real Celery worker); the worker's own Chromium
logs in to a served gateway simulator through its two-step web login.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.accounts.models import Team
from apps.executions.models import Execution
from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_library_sync
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.gateways.client.conftest import sim_factory  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 60_000
SIMULATOR_PASSWORD = "password"  # noqa: S105 - the simulator's documented web login


@pytest.fixture
def newcomer():
    """A user created a moment ago: an operator in a team with the shipped library."""
    team = Team.objects.create(name="Line 3")
    user = UserFactory(username="nina-new", roles=["operator"], teams=[team])
    playbook_library_sync(root=Path(settings.BASE_DIR) / "playbooks", teams=[team])
    CredentialFactory(
        team=team, name="line3-admin", owner=user, username="admin", secret=SIMULATOR_PASSWORD
    )
    return user, Playbook.objects.get(team=team, path="gateway/gateway_login.yaml")


def step_statuses(page) -> list[str]:
    return page.locator("#steps > li").evaluate_all("rows => rows.map(r => r.dataset.status)")


def test_a_new_user_logs_in_to_the_simulator_with_a_vault_credential(
    newcomer,
    sim_factory,  # noqa: F811 - the imported fixture
    celery_worker_running,
    log_in,
    live_server_url,
    screenshot,
):
    user, playbook = newcomer
    simulator = sim_factory()
    page = log_in(user)

    page.goto(f"{live_server_url}/playbooks/")
    card = page.locator(f'[data-testid=playbook-card][data-playbook="{playbook.pk}"]')
    card.get_by_role("button", name="Run").click()
    expect(page.locator("#run-dialog")).to_be_visible(timeout=WAIT)
    page.fill("#run-gateway_url", simulator.url)
    page.select_option("#run-gateway_credential", "line3-admin")
    screenshot("gateway-login-run-dialog")
    page.click("[data-testid=start-run]")
    page.wait_for_url(re.compile(r"/executions/[0-9a-f-]{36}/$"), timeout=WAIT)

    expect(page.locator("#run-status")).to_have_text("Completed", timeout=WAIT)
    assert step_statuses(page) == ["completed"] * 9
    expect(page.locator("#progress-text")).to_have_text("9 of 9 steps done · 100%")
    expect(page.locator("#artifacts")).to_contain_text("gateway_login_home.png")
    screenshot("gateway-login-completed")
    execution = Execution.objects.get()
    assert (execution.requested_by, execution.status) == (user, "completed")
    assert execution.parameters["gateway_credential"] == "line3-admin"
    filled = execution.steps.get(step_id="fill_password").outputs
    assert SIMULATOR_PASSWORD not in str(filled)
    assert "[SECURE]" in str(filled)
