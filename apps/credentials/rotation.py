"""Re-encrypt every stored secret with the newest field-encryption key."""

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model, TextField
from django.db.models.functions import Cast
from encrypted_model_fields import fields as encrypted_fields

from apps.accounts.models import User
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError
from apps.credentials.models import Credential

# Encrypted values besides credential secrets: (model, field, what names a row in messages).
SECRET_PARAMETER_FIELDS = (
    ("executions.Execution", "secret_parameters", "playbook_name"),
    ("schedules.Schedule", "secret_parameters", "name"),
    ("playbooks.Preset", "secret_values", "name"),
)


@transaction.atomic
def credential_rotate_encryption(*, actor: User | None = None) -> int:
    """Re-encrypt every credential secret, and every stored secret parameter value, with the
    first key of ``FIELD_ENCRYPTION_KEY``.

    Works on the stored tokens themselves (``MultiFernet.rotate``), so a secret is never
    decrypted into a model instance. A token that no configured key opens aborts the whole
    rotation, naming the rows, and nothing is changed. Returns the number of credentials
    re-encrypted.
    """
    fields = [(Credential, "secret", "name")]
    fields += [
        (apps.get_model(label), field, name) for label, field, name in SECRET_PARAMETER_FIELDS
    ]
    rotated, unreadable = [], []
    for model, field, name in fields:
        tokens, failed = _rotate(model, field, name)
        rotated.append((model, field, tokens))
        unreadable += failed
    if unreadable:
        raise ApplicationError(
            "No configured key decrypts these credentials, so nothing was rotated: "
            + ", ".join(unreadable)
            + ". Put the key they were written with back into FIELD_ENCRYPTION_KEY."
        )
    for model, field, tokens in rotated:
        _write_tokens(model, field, tokens)
    count = len(rotated[0][2])
    others = sum(len(tokens) for _, _, tokens in rotated[1:])
    audit_record(
        actor, "credential.rotate_key", details={"count": count, "secret_parameters": others}
    )
    return count


def _rotate(model: type[Model], field: str, name: str) -> tuple[list, list[str]]:
    """``(rotated tokens by pk, rows no key opens)`` of one encrypted field."""
    crypter = encrypted_fields.CRYPTER
    rows = (
        model.objects.select_for_update()
        .annotate(token=Cast(field, output_field=TextField()))
        .order_by("pk")
        .values_list("pk", name, "token")
    )
    rotated, unreadable = [], []
    for pk, label, token in rows:
        try:
            rotated.append((pk, crypter.rotate(token.encode()).decode()))
        except InvalidToken:
            where = "" if model is Credential else f"{model._meta.verbose_name} "
            unreadable.append(f"{where}{label} (id {pk})")
    return rotated, unreadable


def _write_tokens(model: type[Model], field: str, rows: list[tuple]) -> None:
    """Write tokens as they are: the ORM would encrypt them a second time."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    sql = f"UPDATE {table} SET {column} = %s WHERE id = %s"  # noqa: S608 (quoted identifiers)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(token, pk) for pk, token in rows])
