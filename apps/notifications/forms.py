"""The notification pages' forms: they parse what the browser sends; the services judge it."""

import re

from django import forms

from apps.notifications.models import Channel, Preset, Scope, Trigger

SIGNING_HELP = (
    "Signs each message (X-Portal-Signature: sha256=<HMAC-SHA256 of the body>), at least 16 "
    "characters. Stored encrypted and never shown again; leave empty to keep the stored one."
)


class TeamChoiceMixin:
    """A team field only for people in several teams; otherwise their only team is used."""

    def add_team_field(self, teams, several_teams: bool) -> None:
        if several_teams:
            self.fields["team"] = forms.ModelChoiceField(queryset=teams, empty_label=None)
            self.order_fields(["team", *[name for name in self.fields if name != "team"]])


class DestinationForm(TeamChoiceMixin, forms.Form):
    name = forms.CharField(max_length=100)
    channel = forms.ChoiceField(choices=Channel.choices)
    recipients = forms.CharField(
        required=False,
        help_text="Email: the addresses, separated by commas or new lines.",
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
    )
    url = forms.CharField(
        label="URL",
        required=False,
        max_length=500,
        help_text="Webhook: where each message is POSTed as JSON.",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    secret = forms.CharField(
        required=False,
        max_length=500,
        strip=False,
        help_text=SIGNING_HELP,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    preset = forms.ChoiceField(
        label="Payload",
        choices=Preset.choices,
        initial=Preset.GENERIC,
        help_text='Webhook: the body\'s shape. Slack: {"text": …}; Teams: a MessageCard.',
    )

    def __init__(self, *args, teams, several_teams: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_team_field(teams, several_teams)

    def clean_recipients(self) -> list[str]:
        return [part for part in re.split(r"[,;\s]+", self.cleaned_data["recipients"]) if part]


class RuleForm(TeamChoiceMixin, forms.Form):
    name = forms.CharField(max_length=100)
    trigger = forms.ChoiceField(label="When", choices=Trigger.choices)
    scope = forms.ChoiceField(label="Which runs", choices=Scope.choices)
    playbook = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For “Runs of one playbook”."
    )
    schedule = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For “Runs one schedule launched”."
    )
    gateway = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For “Runs against one gateway”."
    )
    gateway_tag = forms.CharField(
        label="Gateway tag",
        required=False,
        max_length=100,
        help_text="For “Runs against gateways with a tag”.",
    )
    destinations = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple
    )
    enabled = forms.BooleanField(required=False, initial=True)

    def __init__(
        self,
        *args,
        teams,
        playbooks,
        schedules,
        gateways,
        destinations,
        several_teams: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = playbooks
        self.fields["schedule"].queryset = schedules
        self.fields["gateway"].queryset = gateways
        self.fields["destinations"].queryset = destinations
        self.add_team_field(teams, several_teams)
        if several_teams:
            for name in ("playbook", "schedule", "gateway", "destinations"):
                self.fields[name].label_from_instance = lambda o: f"{o} ({o.team})"
