from django.conf import settings
from django.contrib import admin

from apps.executions.models import RetentionPolicy
from apps.executions.services.retention import (
    POLICY_FIELDS,
    retention_policy,
    retention_policy_delete,
    retention_policy_save,
)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """Each team's retention; empty fields use the RETENTION_* settings (shown as help)."""

    list_display = ["team", "runs", "files"]
    autocomplete_fields = ["team"]

    @admin.display(description="Runs kept")
    def runs(self, obj: RetentionPolicy) -> str:
        policy = retention_policy(obj.team)
        return (
            f"{_days(policy.run_days)} ({_days(policy.failed_run_days)} if failed), "
            f"at least the last {policy.keep_last_runs} per playbook"
        )

    @admin.display(description="Run files kept")
    def files(self, obj: RetentionPolicy) -> str:
        return _days(retention_policy(obj.team).artifact_days)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in POLICY_FIELDS:
            default = getattr(settings, f"RETENTION_{name.upper()}")
            field = form.base_fields[name]
            field.help_text = f"{field.help_text} Empty: {default} (the installation's default)."
        return form

    def save_model(self, request, obj, form, change):
        retention_policy_save(obj, actor=request.user)

    def delete_model(self, request, obj):
        retention_policy_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for policy in queryset:
            retention_policy_delete(policy, actor=request.user)


def _days(days: int) -> str:
    return f"{days} days" if days else "forever"
