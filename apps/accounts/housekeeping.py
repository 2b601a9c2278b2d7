"""Login records past their use: expired JWTs (and their blacklist entries), failed-login counts
past the lock-out window, and django-axes' login log past ``RETENTION_LOGIN_LOG_DAYS``.

The filters are those of simplejwt's ``flushexpiredtokens`` and django-axes' own clean-ups
(``clean_expired_user_attempts``, ``reset_logs``, ``reset_failure_logs``), as querysets, so a
dry run counts exactly what the clean-up then deletes.
"""

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import QuerySet
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from apps.accounts.lockout import cool_off


def login_records_expired(*, now: datetime) -> dict[str, QuerySet]:
    """What may go, by a description of each kind."""
    records = {
        "expired JWT refresh tokens": OutstandingToken.objects.filter(expires_at__lte=now),
        "failed-login counts past the lock-out window": AccessAttempt.objects.filter(
            attempt_time__lte=now - cool_off(None)
        ),
    }
    days = settings.RETENTION_LOGIN_LOG_DAYS
    if days:
        limit = now - timedelta(days=days)
        records[f"login log entries older than {days} days"] = AccessLog.objects.filter(
            attempt_time__lte=limit
        )
        records[f"failed-login log entries older than {days} days"] = (
            AccessFailureLog.objects.filter(attempt_time__lte=limit)
        )
    return records


def login_records_prune(*, now: datetime) -> dict[str, int]:
    """Delete them; how many of each kind went (blacklist entries go with their tokens)."""
    removed = {}
    for kind, queryset in login_records_expired(now=now).items():
        _, per_model = queryset.delete()
        removed[kind] = per_model.get(queryset.model._meta.label, 0)
    return removed
