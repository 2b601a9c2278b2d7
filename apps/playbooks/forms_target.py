"""The Run dialog's target: one gateway (a single run), or several gateways or a gateway tag
(a batch: one run per gateway), with the batch's concurrency and failure policy."""

from django import forms

from apps.executions.models import BatchPolicy

ONE, SEVERAL, TAG = "gateway", "gateways", "tag"


class RunTargetForm(forms.Form):
    target = forms.ChoiceField(
        choices=[(ONE, "One gateway"), (SEVERAL, "Several gateways"), (TAG, "A gateway tag")],
        required=False,
    )
    gateways = forms.ModelMultipleChoiceField(queryset=None, required=False)
    gateway_tag = forms.ChoiceField(required=False)
    concurrency = forms.IntegerField(required=False, min_value=1)
    policy = forms.ChoiceField(choices=BatchPolicy.choices, required=False)

    def __init__(self, *args, gateways, launching: bool = True, **kwargs):
        """``gateways``: the playbook team's gateways the user sees (a queryset).

        ``launching=False`` (saving or deleting a preset) keeps the choice shown without asking
        for the gateways or tag a launch needs."""
        super().__init__(*args, **kwargs)
        self.launching = launching
        self.fields["gateways"].queryset = gateways.order_by("name", "pk")
        self.fields["gateway_tag"].choices = [("", "— a tag —")] + [
            (tag, tag) for tag in team_tags(gateways)
        ]

    @property
    def is_batch(self) -> bool:
        return self.data.get("target") in (SEVERAL, TAG)

    def clean(self) -> dict:
        data = super().clean()
        if not self.launching:
            return data
        if (
            data.get("target") == SEVERAL
            and not data.get("gateways")
            and "gateways" not in (self.errors)
        ):
            self.add_error("gateways", "Choose at least one gateway.")
        if (
            data.get("target") == TAG
            and not data.get("gateway_tag")
            and "gateway_tag" not in (self.errors)
        ):
            self.add_error("gateway_tag", "Choose a gateway tag.")
        return data

    def batch_options(self) -> dict:
        """The ``batch_start`` keywords of a valid form (the gateways of a tag excepted)."""
        data = self.cleaned_data
        return {
            "concurrency": data.get("concurrency"),
            "policy": data.get("policy") or BatchPolicy.CONTINUE,
        }


def team_tags(gateways) -> list[str]:
    """Every tag the gateways carry, sorted."""
    return sorted({tag for tags in gateways.values_list("tags", flat=True) for tag in tags or []})
