"""The trends window a page or an API client asks for."""

from django import forms
from rest_framework import serializers

from apps.reports.trends import DEFAULT_WINDOW, WINDOWS

WINDOW_CHOICES = [(days, f"{days} days") for days in WINDOWS]
WINDOW_HELP = "How many days back, today included: 7, 30 or 90."


class TrendsWindowForm(forms.Form):
    days = forms.TypedChoiceField(choices=WINDOW_CHOICES, coerce=int, required=False)

    def window(self) -> int:
        """The chosen number of days; the default when none (or an unknown one) was chosen."""
        if not self.is_valid():
            return DEFAULT_WINDOW
        return self.cleaned_data.get("days") or DEFAULT_WINDOW


class TrendsQuery(serializers.Serializer):
    days = serializers.ChoiceField(choices=WINDOWS, default=DEFAULT_WINDOW, help_text=WINDOW_HELP)
