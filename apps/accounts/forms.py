from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from apps.accounts.login_limits import login_failure_record, login_failures_clear, login_is_locked


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further tries after repeated failures."""

    def clean(self):
        username = self.cleaned_data.get("username", "")
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if login_is_locked(username, address):
            minutes = max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
            raise forms.ValidationError(
                f"Too many failed logins for this user. Try again in {minutes} minutes.",
                code="rate_limited",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username, address)
            raise
        login_failures_clear(username, address)
        return cleaned
