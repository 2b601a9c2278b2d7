"""Forms of the gateways page."""

from django import forms

from apps.credentials.forms import TeamField
from apps.gateways.models import GatewayVersion


class GatewayForm(forms.Form):
    name = forms.CharField(max_length=100)
    base_url = forms.CharField(
        label="Base URL",
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "http://gateway.local:8088"}),
    )
    version = forms.ChoiceField(choices=GatewayVersion.choices, initial=GatewayVersion.V8_3)
    default_credential = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="— none —", label="Default credential"
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Comma-separated, e.g. line1, staging"
    )
    allow_concurrent_runs = forms.BooleanField(
        required=False, label="Allow more than one mutating run at once"
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, teams=None, credentials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_credential"].queryset = credentials
        self.fields["default_credential"].label_from_instance = lambda c: f"{c.name} ({c.team})"
        if teams is not None:
            self.fields["team"] = TeamField(teams)

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def service_values(self) -> dict:
        """The cleaned data as the gateway services' keyword arguments (without the team)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "team"}
