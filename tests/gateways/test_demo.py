import io
import json

import pytest
from django.core.management import call_command

from apps.accounts.models import Team
from apps.credentials.models import Credential
from apps.gateways.models import Gateway
from apps.gateways.services import gateway_ensure_demo
from apps.playbooks.models import Playbook
from tests.playbooks.factories import playbook_yaml

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("bootstrap_embedded", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def library(tmp_path):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "login.yaml").write_text(playbook_yaml("Login"))
    return tmp_path


def test_bootstrap_adds_the_library_and_the_demo_target_once(library):
    arguments = ["--json", "--simulator-url", "http://127.0.0.1:9099", "--playbooks-path"]

    first_out, first_err = run(*arguments, str(library))
    second_out, second_err = run(*arguments, str(library))

    assert set(json.loads(first_out)) == {"username", "password"}
    assert json.loads(second_out) == {}
    assert first_err.splitlines() == [
        "Playbook library: 1 created, 0 updated, 0 unchanged, 0 skipped, 0 invalid.",
        "Demo gateway 'Local simulator' at http://127.0.0.1:9099: created.",
    ]
    assert second_err.splitlines() == [
        "Playbook library: 0 created, 0 updated, 1 unchanged, 0 skipped, 0 invalid.",
        "Demo gateway 'Local simulator' at http://127.0.0.1:9099: already present.",
    ]
    gateway = Gateway.objects.get()
    credential = Credential.objects.get()
    assert (gateway.team.name, gateway.version, gateway.default_credential) == (
        "Default",
        "8.3",
        credential,
    )
    assert (credential.username, credential.secret, credential.shared) == (
        "admin",
        "password",
        True,
    )
    assert Playbook.objects.get().path == "gateway/login.yaml"


def test_bootstrap_without_library_or_team(tmp_path, admin_user):
    admin_user.is_superuser = True
    admin_user.save()

    out, err = run("--playbooks-path", str(tmp_path / "missing"))

    assert out == "An admin already exists; nothing created.\n"
    assert err.splitlines() == [
        f"No playbook library at {tmp_path / 'missing'}; nothing synced.",
        "No default team or admin; demo gateway not created.",
    ]


def test_an_existing_demo_credential_is_reused(team, admin_user):
    default = Team.objects.create(name="Default")
    existing = Credential.objects.create(
        team=default, name="local-simulator-admin", username="me", secret="mine"
    )

    gateway, created = gateway_ensure_demo(team=default, actor=admin_user, base_url="http://x")

    assert (created, gateway.default_credential) == (True, existing)
    existing.refresh_from_db()
    assert existing.secret == "mine"


def test_bootstrap_without_the_demo_gateway_prepares_the_rest(library):
    out, err = run("--json", "--no-demo-gateway", "--playbooks-path", str(library))

    assert set(json.loads(out)) == {"username", "password"}
    assert Team.objects.filter(name="Default").exists()
    assert Playbook.objects.filter(path="gateway/login.yaml").exists()
    assert not Gateway.objects.exists()
    assert "Demo gateway" not in err
