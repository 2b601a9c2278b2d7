"""Forms of the credentials page. Secrets are write-only: the input never shows a value."""

from django import forms

from apps.credentials.models import CredentialKind

SECRET_HELP = "Stored encrypted and never shown again."  # noqa: S105 (help text)


class TeamField(forms.ModelChoiceField):
    """The team a new object goes into; a user with one team does not have to choose."""

    def __init__(self, teams) -> None:
        super().__init__(queryset=teams, empty_label=None)
        only = list(teams[:2])
        self.only = only[0] if len(only) == 1 else None
        if self.only is not None:
            self.required = False
            self.widget = forms.HiddenInput()
            self.initial = self.only.pk

    def clean(self, value):
        if value in self.empty_values and self.only is not None:
            return self.only
        return super().clean(value)


class CredentialCreateForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(
        choices=CredentialKind.choices, initial=CredentialKind.USERNAME_PASSWORD
    )
    username = forms.CharField(max_length=150, required=False)
    secret = forms.CharField(
        label="Password or token",
        max_length=2000,
        strip=False,
        help_text=SECRET_HELP,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    gateway_url = forms.CharField(
        label="Gateway URL",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "http://gateway.local:8088"}),
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    shared = forms.BooleanField(required=False, label="Usable by the whole team")

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamField(teams)


class CredentialUpdateForm(forms.Form):
    """The name and kind are fixed; an empty secret keeps the stored one."""

    username = forms.CharField(max_length=150, required=False)
    secret = forms.CharField(
        label="New password or token",
        max_length=2000,
        strip=False,
        required=False,
        help_text="Leave empty to keep the stored secret. " + SECRET_HELP,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    gateway_url = forms.CharField(label="Gateway URL", max_length=500, required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    shared = forms.BooleanField(required=False, label="Usable by the whole team")

    def __init__(self, *args, **kwargs):
        # Shown in a dialog beside the add form: ids of its own keep the labels apart.
        kwargs.setdefault("auto_id", "edit_%s")
        super().__init__(*args, **kwargs)
