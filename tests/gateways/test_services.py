import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.gateways.models import Gateway
from apps.gateways.services import gateway_create, gateway_delete, gateway_ping, gateway_update
from tests.credentials.factories import CredentialFactory
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db


def test_create(team, editor, credential):
    gateway = gateway_create(
        team=team,
        actor=editor,
        name=" Plant ",
        base_url="http://gw.local:8088/",
        version="8.1",
        default_credential=credential,
        tags=["plant", "prod"],
        allow_concurrent_runs=True,
    )

    gateway.refresh_from_db()
    assert (gateway.name, gateway.base_url, gateway.version, gateway.default_credential) == (
        "Plant",
        "http://gw.local:8088",
        "8.1",
        credential,
    )
    assert (gateway.tags, gateway.allow_concurrent_runs) == (["plant", "prod"], True)
    assert AuditEntry.objects.get().details == {"base_url": "http://gw.local:8088"}


@pytest.mark.parametrize(
    ("_case", "values", "error", "message"),
    [
        ("no name", {"name": ""}, ApplicationError, "A gateway needs a name."),
        ("bad url", {"base_url": "gw"}, ApplicationError, "'gw' is not a gateway URL"),
        ("version", {"version": "7.9"}, ApplicationError, "Unknown gateway version '7.9'"),
        ("tags", {"tags": ["ok", ""]}, ApplicationError, "Tags must be a list of non-empty"),
        ("tags type", {"tags": "prod"}, ApplicationError, "Tags must be a list"),
    ],
)
def test_create_rejects_invalid_values(team, editor, _case, values, error, message):
    arguments = {"name": "gw", "base_url": "http://gw:8088", **values}

    with pytest.raises(error, match=message):
        gateway_create(team=team, actor=editor, **arguments)

    assert Gateway.objects.count() == 0


def test_names_are_unique_per_team(team, editor):
    GatewayFactory(team=team, name="gw")

    with pytest.raises(ConflictError, match="A gateway named 'gw' already exists in Line 1."):
        gateway_create(team=team, actor=editor, name="gw", base_url="http://x")


def test_default_credential_must_be_usable_in_the_team(team, other_team, editor):
    foreign = CredentialFactory(team=other_team, name="foreign")
    private = CredentialFactory(team=team, name="private", shared=False)

    for credential in (foreign, private):
        with pytest.raises(ApplicationError, match=f"Credential '{credential.name}' is not a"):
            gateway_create(
                team=team,
                actor=editor,
                name="gw",
                base_url="http://x",
                default_credential=credential,
            )

    assert Gateway.objects.count() == 0


@pytest.mark.parametrize("persona", ["viewer", "operator", "outsider"])
def test_only_editors_write(request, team, persona):
    actor = request.getfixturevalue(persona)
    gateway = GatewayFactory(team=team, name="gw")

    with pytest.raises(PermissionDeniedError, match="Only editors of Line 1 may change gateways."):
        gateway_create(team=team, actor=actor, name="new", base_url="http://x")
    with pytest.raises(PermissionDeniedError):
        gateway_update(gateway, actor=actor, name="renamed")
    with pytest.raises(PermissionDeniedError):
        gateway_delete(gateway, actor=actor)

    assert list(Gateway.objects.values_list("name", flat=True)) == ["gw"]


def test_update_changes_only_the_given_fields(team, editor):
    gateway = GatewayFactory(team=team, name="gw", tags=["a"], allow_concurrent_runs=True)

    gateway_update(gateway, actor=editor, base_url="https://gw:8043", tags=["b"])

    gateway.refresh_from_db()
    assert (gateway.name, gateway.base_url, gateway.tags, gateway.allow_concurrent_runs) == (
        "gw",
        "https://gw:8043",
        ["b"],
        True,
    )
    assert AuditEntry.objects.get().details == {"fields": ["base_url", "tags"]}


def test_update_refuses_unknown_fields(team, editor):
    gateway = GatewayFactory(team=team)

    with pytest.raises(ApplicationError, match="These fields cannot be changed: team."):
        gateway_update(gateway, actor=editor, team=None)


def test_delete(team, editor):
    gateway = GatewayFactory(team=team)

    gateway_delete(gateway, actor=editor)

    assert Gateway.objects.count() == 0
    assert AuditEntry.objects.get().action == "gateway.delete"


def test_ping(fake_gateway, team):
    gateway = GatewayFactory(team=team, base_url=fake_gateway.url)

    result = gateway_ping(gateway)

    assert (result.ok, result.state) == (True, "RUNNING")


def test_ping_of_a_dead_gateway(closed_port_url, team):
    gateway = GatewayFactory(team=team, base_url=closed_port_url)

    result = gateway_ping(gateway, timeout=0.5)

    assert result.ok is False
    assert result.message.startswith("Cannot reach")
