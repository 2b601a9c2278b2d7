import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.credentials.models import Credential
from apps.credentials.services import (
    ResolvedCredential,
    credential_create,
    credential_delete,
    credential_resolve,
    credential_update,
)
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.credentials.fixtures import KNOWN_SECRET

pytestmark = pytest.mark.django_db


def test_create_stores_the_secret_and_audits_without_it(team, editor):
    credential = credential_create(
        team=team,
        actor=editor,
        name="  plc-gw ",
        secret=KNOWN_SECRET,
        username="admin",
        gateway_url="http://gw.local:8088/",
        shared=True,
    )

    stored = Credential.objects.get()
    assert (stored.name, stored.secret, stored.owner, stored.shared) == (
        "plc-gw",
        KNOWN_SECRET,
        editor,
        True,
    )
    assert stored.gateway_url == "http://gw.local:8088"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.details) == ("credential.create", {"kind": "username_password"})
    assert credential.pk == stored.pk


@pytest.mark.parametrize(
    ("_case", "changes", "message"),
    [
        ("no name", {"name": " "}, "A credential needs a name."),
        ("placeholder", {"secret": "$encrypted$"}, "Give the secret itself; $encrypted$ only"),
        ("empty secret", {"secret": ""}, "Give the secret itself"),
        ("no username", {"username": ""}, "A username/password credential needs a username."),
        ("bad kind", {"kind": "ssh"}, "Unknown credential kind 'ssh'"),
        ("bad url", {"gateway_url": "ftp://x"}, "'ftp://x' is not a gateway URL"),
    ],
)
def test_create_rejects_invalid_input(team, editor, _case, changes, message):
    values = {"name": "gw", "secret": "x", "username": "admin", **changes}

    with pytest.raises(ApplicationError, match=message.replace("$", r"\$")):
        credential_create(team=team, actor=editor, **values)

    assert Credential.objects.count() == 0


def test_api_tokens_need_no_username(team, editor):
    credential = credential_create(
        team=team, actor=editor, name="token", secret="key:abc", kind="api_token"
    )

    assert (credential.kind, credential.username) == ("api_token", "")


def test_names_are_unique_per_team(team, other_team, editor, admin_user):
    credential_create(team=team, actor=editor, name="gw", secret="a", username="u")
    credential_create(team=other_team, actor=admin_user, name="gw", secret="b", username="u")

    with pytest.raises(ConflictError, match="A credential named 'gw' already exists in Line 1."):
        credential_create(team=team, actor=editor, name="gw", secret="c", username="u")

    assert Credential.objects.count() == 2


@pytest.mark.parametrize("persona", ["viewer", "operator", "outsider"])
def test_only_editors_of_the_team_create(request, team, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDeniedError, match="Only editors of Line 1 may change"):
        credential_create(team=team, actor=actor, name="gw", secret="s", username="u")

    assert Credential.objects.count() == 0


def test_update_keeps_the_secret_for_the_placeholder(credential, editor):
    credential_update(credential, actor=editor, secret="$encrypted$", description="Main gateway")

    credential.refresh_from_db()
    assert (credential.secret, credential.description) == (KNOWN_SECRET, "Main gateway")
    entry = AuditEntry.objects.get(action="credential.update")
    assert entry.details == {"fields": ["description"], "secret_changed": False}


def test_update_replaces_the_secret(credential, editor):
    credential_update(credential, actor=editor, secret="new-secret", username="root")

    credential.refresh_from_db()
    assert (credential.secret, credential.username) == ("new-secret", "root")
    entry = AuditEntry.objects.get(action="credential.update")
    assert entry.details == {"fields": ["username"], "secret_changed": True}


def test_update_refuses_unknown_fields(credential, editor):
    with pytest.raises(ApplicationError, match="These fields cannot be changed: name."):
        credential_update(credential, actor=editor, name="renamed")

    credential.refresh_from_db()
    assert credential.name == "line1-gateway"


def test_private_credentials_are_changed_by_their_owner_only(team, editor):
    colleague = UserFactory(roles=["editor"], teams=[team])
    private = CredentialFactory(team=team, owner=editor, shared=False)

    with pytest.raises(PermissionDeniedError, match="is private to its owner"):
        credential_update(private, actor=colleague, description="mine now")

    credential_update(private, actor=editor, description="still mine")
    private.refresh_from_db()
    assert private.description == "still mine"


def test_delete_removes_and_audits(credential, editor):
    credential_delete(credential, actor=editor)

    assert Credential.objects.count() == 0
    assert AuditEntry.objects.get().action == "credential.delete"


def test_viewer_cannot_delete(credential, viewer):
    with pytest.raises(PermissionDeniedError):
        credential_delete(credential, actor=viewer)

    assert Credential.objects.count() == 1


def test_resolve_audits_the_use_and_masks_the_secret(credential, operator):
    resolved = credential_resolve(credential, actor=operator, purpose="run 5")

    assert resolved == ResolvedCredential(
        name="line1-gateway",
        kind="username_password",
        username="admin",
        gateway_url="",
        description="",
        secret=KNOWN_SECRET,
    )
    assert resolved.password == KNOWN_SECRET
    assert KNOWN_SECRET not in repr(resolved)
    assert str(resolved) == "line1-gateway"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.details) == (
        "credential.use",
        operator,
        {"purpose": "run 5"},
    )


def test_resolve_refuses_users_who_may_not_use_it(credential, outsider):
    with pytest.raises(PermissionDeniedError, match="You may not use credential 'line1-gateway'."):
        credential_resolve(credential, actor=outsider)

    assert AuditEntry.objects.count() == 0


def test_resolve_by_the_system_is_audited_as_system(credential):
    credential_resolve(credential, actor=None, purpose="schedule")

    assert AuditEntry.objects.get().actor_name == "system"
