"""Re-encrypt every credential secret with the newest key of FIELD_ENCRYPTION_KEY."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.credentials.rotation import credential_rotate_encryption


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored credential secret with the first (newest) key of "
        "FIELD_ENCRYPTION_KEY. Put the new key first, keep the old ones after it, run this, "
        "then remove the old keys."
    )

    def handle(self, *args, **options):
        try:
            count = credential_rotate_encryption()
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Re-encrypted {count} credential secret(s) with the newest key.")
