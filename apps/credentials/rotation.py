"""Re-encrypt every stored secret with the newest field-encryption key."""

from cryptography.fernet import InvalidToken
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from encrypted_model_fields import fields as encrypted_fields

from apps.accounts.models import User
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError
from apps.credentials.models import Credential


@transaction.atomic
def credential_rotate_encryption(*, actor: User | None = None) -> int:
    """Re-encrypt every credential secret with the first key of ``FIELD_ENCRYPTION_KEY``.

    Works on the stored tokens themselves (``MultiFernet.rotate``), so a secret is never
    decrypted into a model instance. A token that no configured key opens aborts the whole
    rotation, naming the credentials, and nothing is changed. Returns the number re-encrypted.
    """
    crypter = encrypted_fields.CRYPTER
    rows = (
        Credential.objects.select_for_update()
        .annotate(token=Cast("secret", output_field=TextField()))
        .order_by("pk")
        .values_list("pk", "name", "token")
    )
    rotated, unreadable = [], []
    for pk, name, token in rows:
        try:
            rotated.append((pk, crypter.rotate(token.encode()).decode()))
        except InvalidToken:
            unreadable.append(f"{name} (id {pk})")
    if unreadable:
        raise ApplicationError(
            "No configured key decrypts these credentials, so nothing was rotated: "
            + ", ".join(unreadable)
            + ". Put the key they were written with back into FIELD_ENCRYPTION_KEY."
        )
    _write_tokens(rotated)
    audit_record(actor, "credential.rotate_key", details={"count": len(rotated)})
    return len(rotated)


def _write_tokens(rows: list[tuple[int, str]]) -> None:
    """Write tokens as they are: the ORM would encrypt them a second time."""
    table = connection.ops.quote_name(Credential._meta.db_table)
    column = connection.ops.quote_name(Credential._meta.get_field("secret").column)
    sql = f"UPDATE {table} SET {column} = %s WHERE id = %s"  # noqa: S608 (quoted identifiers)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(token, pk) for pk, token in rows])
