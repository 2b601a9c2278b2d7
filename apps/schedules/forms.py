"""The schedule form: parses what the browser sends; the services judge the values."""

from django import forms

from apps.core.json_input import JsonTooDeepError, json_loads_bounded
from apps.executions.secret_parameters import secret_names
from apps.schedules.models import ScheduleKind
from apps.schedules.timing import KIND_FIELDS, TIMING_FIELDS, WEEKDAYS, time_zone_names

DAY_CHOICES = [(day, day.capitalize()) for day in WEEKDAYS]


class ScheduleForm(forms.Form):
    name = forms.CharField(max_length=100)
    playbook = forms.ModelChoiceField(queryset=None, empty_label="— choose a playbook —")
    kind = forms.ChoiceField(label="When", choices=ScheduleKind.choices)
    interval_minutes = forms.IntegerField(
        label="Every (minutes)", required=False, min_value=1, initial=60
    )
    time_of_day = forms.TimeField(
        label="At (HH:MM)",
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    days_of_week = forms.MultipleChoiceField(
        label="On days", required=False, choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    day_of_month = forms.IntegerField(
        label="On day of the month", required=False, min_value=1, max_value=31
    )
    cron_expression = forms.CharField(
        label="Cron expression",
        required=False,
        max_length=200,
        help_text="minute hour day-of-month month day-of-week, e.g. 30 6 * * 1-5",
        widget=forms.TextInput(attrs={"placeholder": "30 6 * * 1-5", "spellcheck": "false"}),
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="An IANA name such as Europe/Berlin; times above are in this zone.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gateway = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="— none —",
        help_text="Fills gateway_url and empty credential parameters from the gateway.",
    )
    gateway_tag = forms.CharField(
        label="Or gateway tag",
        required=False,
        max_length=100,
        help_text="Instead of one gateway: each launch is a batch, one run per gateway of the "
        "team with this tag.",
    )
    parameters = forms.CharField(
        required=False,
        help_text='A JSON object, e.g. {"retries": 2, "login": "line1-admin"}. Credential '
        "parameters take a credential's name, never a password; a secret parameter's stored "
        'value shows as "$encrypted$": leave it to keep the value.',
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    secret_values = forms.CharField(
        label="Secret values",
        required=False,
        help_text='Values of secret parameters as a JSON object, e.g. {"device_pin": "…"}; typed '
        "here unseen, stored encrypted, never shown again. Empty keeps the stored ones.",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Enabled")
    skip_if_running = forms.BooleanField(
        required=False, initial=True, label="Skip a run while the previous one is still going"
    )

    def __init__(
        self, *args, playbooks, gateways, several_teams: bool = False, id_prefix: str = "", **kwargs
    ):
        # Add and edit forms share a page: a prefix keeps their element ids apart.
        super().__init__(*args, auto_id=f"{id_prefix}id_%s", **kwargs)
        self.time_zone_list_id = f"{id_prefix}time-zones"
        self.fields["time_zone"].widget.attrs["list"] = self.time_zone_list_id
        self.fields["playbook"].queryset = playbooks
        self.fields["gateway"].queryset = gateways
        if several_teams:
            self.fields["playbook"].label_from_instance = lambda p: f"{p.name} ({p.team})"
            self.fields["gateway"].label_from_instance = lambda g: f"{g.name} ({g.team})"

    def clean_parameters(self) -> dict:
        text = self.cleaned_data["parameters"].strip()
        if not text:
            return {}
        try:
            value = json_loads_bounded(text)
        except JsonTooDeepError as exc:
            raise forms.ValidationError(str(exc)) from None
        except ValueError as exc:
            raise forms.ValidationError(f"This is not valid JSON: {exc}.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError('Write a JSON object, e.g. {"retries": 2}.')
        return value

    def clean_secret_values(self) -> dict:
        text = self.cleaned_data["secret_values"].strip()
        try:
            value = json_loads_bounded(text) if text else {}
        except JsonTooDeepError as exc:
            raise forms.ValidationError(str(exc)) from None
        except ValueError:
            # The message never quotes the text: it is a secret.
            raise forms.ValidationError("This is not a valid JSON object.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError('Write a JSON object, e.g. {"device_pin": "…"}.')
        return value

    def clean(self):
        """Fields the chosen kind does not use are ignored, whatever they hold; secret values
        go only to the playbook's secret parameters (anything else would be stored in clear)."""
        cleaned = super().clean()
        self._check_secret_names(cleaned)
        used = KIND_FIELDS.get(cleaned.get("kind"), TIMING_FIELDS)
        for field in TIMING_FIELDS:
            if field not in used:
                self.errors.pop(field, None)
                cleaned.pop(field, None)
        return cleaned

    def _check_secret_names(self, cleaned: dict) -> None:
        playbook, given = cleaned.get("playbook"), cleaned.get("secret_values") or {}
        if playbook is None or not given:
            return
        others = sorted(set(given) - secret_names(playbook.current_version.parameters))
        if others:
            self.add_error(
                "secret_values",
                f"{', '.join(others)}: not a secret parameter of this playbook (secret: true); "
                "give other values under Parameters.",
            )

    def service_values(self) -> dict:
        """The cleaned data as the schedule services' keyword arguments (secrets merged)."""
        values = dict(self.cleaned_data)
        values["parameters"] = {**values["parameters"], **values.pop("secret_values")}
        return values

    @staticmethod
    def time_zones() -> list[str]:
        return sorted(time_zone_names())
