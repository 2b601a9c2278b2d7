"""Forms of the executions pages: the history filters and the bulk selection."""

from django import forms
from django.db.models import Exists, OuterRef

from apps.accounts.models import User
from apps.executions import selectors
from apps.executions.models import ExecutionStatus
from apps.gateways.selectors import gateway_list_for_user
from apps.playbooks.selectors import playbook_list_for_user


class ExecutionFilterForm(forms.Form):
    """Filters of the history (every field optional; invalid values are ignored)."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *ExecutionStatus.choices], required=False
    )
    playbook = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any playbook", to_field_name="pk"
    )
    gateway = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any gateway")
    requested_by = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Anyone", label="Started by"
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = (
            playbook_list_for_user(user).select_related(None).only("pk", "name")
        )
        self.fields["gateway"].queryset = (
            gateway_list_for_user(user).select_related(None).only("pk", "name")
        )
        started = selectors.execution_list_for_user(user).filter(requested_by=OuterRef("pk"))
        self.fields["requested_by"].queryset = User.objects.filter(Exists(started)).order_by(
            "username"
        )

    def selector_filters(self) -> dict:
        """The valid filters as field lookups for ``execution_list_for_user``."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "status": data.get("status"),
            "playbook": data.get("playbook"),
            "gateway": data.get("gateway"),
            "requested_by": data.get("requested_by"),
            "queued_at__date__gte": data.get("date_from"),
            "queued_at__date__lte": data.get("date_to"),
        }


class ExecutionSelectionForm(forms.Form):
    """The runs ticked in the history; only runs the user may see are valid choices."""

    ids = forms.ModelMultipleChoiceField(
        queryset=None, error_messages={"required": "Select at least one run."}
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = selectors.execution_list_for_user(user)
