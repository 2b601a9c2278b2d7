import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.management import CommandError, call_command
from django.db import connection
from encrypted_model_fields import fields as encrypted_fields

from apps.accounts.models import AuditEntry
from apps.credentials.models import Credential
from apps.credentials.rotation import credential_rotate_encryption
from apps.executions.services.launch import execution_start
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db


def _raw_tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM credentials_credential ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def old_key(monkeypatch):
    key = Fernet.generate_key()
    monkeypatch.setattr(encrypted_fields, "CRYPTER", MultiFernet([Fernet(key)]))
    return key


def test_rotation_re_encrypts_with_the_newest_key(old_key, monkeypatch, capsys):
    CredentialFactory(secret="first-secret")
    CredentialFactory(secret="second-secret")
    new_key = Fernet.generate_key()
    monkeypatch.setattr(
        encrypted_fields, "CRYPTER", MultiFernet([Fernet(new_key), Fernet(old_key)])
    )

    call_command("rotate_credentials_key")

    newest = Fernet(new_key)
    assert [newest.decrypt(t.encode()).decode() for t in _raw_tokens()] == [
        "first-secret",
        "second-secret",
    ]
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(_raw_tokens()[0].encode())
    assert capsys.readouterr().out == "Re-encrypted 2 credential secret(s) with the newest key.\n"
    assert AuditEntry.objects.get().details == {"count": 2, "secret_parameters": 0}
    monkeypatch.setattr(encrypted_fields, "CRYPTER", MultiFernet([newest]))
    assert [c.secret for c in Credential.objects.order_by("pk")] == [
        "first-secret",
        "second-secret",
    ]


def test_an_unreadable_secret_aborts_without_changes(old_key, monkeypatch):
    readable = CredentialFactory(name="readable")
    CredentialFactory(name="orphan")
    before = _raw_tokens()
    unrelated = Fernet(Fernet.generate_key()).encrypt(b"lost").decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE credentials_credential SET secret = %s WHERE name = %s", [unrelated, "orphan"]
        )

    with pytest.raises(
        CommandError,
        match=r"No configured key decrypts these credentials, so "
        r"nothing was rotated: orphan \(id \d+\)\.",
    ):
        call_command("rotate_credentials_key")

    assert _raw_tokens()[0] == before[0]
    assert Credential.objects.get(pk=readable.pk).secret == "Tr0ub4dor-and-3-horses"


def test_comma_separated_keys_become_a_key_list(settings):
    assert isinstance(settings.FIELD_ENCRYPTION_KEY, list)
    assert len(settings.FIELD_ENCRYPTION_KEY) == 1


def test_rotation_re_encrypts_stored_secret_parameters(old_key, monkeypatch, team, operator):
    book = playbook(team, HELLO_STEP, parameters="- {name: pin, type: string, secret: true}\n")
    execution = execution_start(book, actor=operator, parameters={"pin": "4711-pin"})
    new_key = Fernet.generate_key()
    monkeypatch.setattr(
        encrypted_fields, "CRYPTER", MultiFernet([Fernet(new_key), Fernet(old_key)])
    )

    credential_rotate_encryption()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_parameters FROM executions_execution WHERE id = %s", [execution.pk]
        )
        token = cursor.fetchone()[0]
    assert Fernet(new_key).decrypt(token.encode()) == b'{"pin": "4711-pin"}'
    assert AuditEntry.objects.get(action="credential.rotate_key").details == {
        "count": 0,
        "secret_parameters": 1,
    }
