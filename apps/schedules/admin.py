"""Admin for schedules: read-only rows, enable/disable and delete through the services.

Schedules are created and edited on the schedules page or the API, where the form shows
each problem next to its field.
"""

from django.contrib import admin, messages

from apps.accounts.selectors import user_is_admin
from apps.schedules.models import Schedule
from apps.schedules.services import schedule_delete, schedule_set_enabled

FIELDS = [
    "team",
    "name",
    "playbook",
    "gateway",
    "kind",
    "interval_minutes",
    "time_of_day",
    "days_of_week",
    "day_of_month",
    "cron_expression",
    "time_zone",
    "parameters",
    "enabled",
    "skip_if_running",
    "created_by",
    "periodic_task",
    "last_triggered_at",
    "last_run_at",
    "last_execution",
    "last_error",
    "last_skip_reason",
    "created_at",
    "updated_at",
]


@admin.action(description="Enable selected schedules", permissions=["toggle"])
def enable(modeladmin, request, queryset):
    _set_enabled(modeladmin, request, queryset, enabled=True)


@admin.action(description="Disable selected schedules", permissions=["toggle"])
def disable(modeladmin, request, queryset):
    _set_enabled(modeladmin, request, queryset, enabled=False)


def _set_enabled(modeladmin, request, queryset, *, enabled: bool) -> None:
    count = 0
    for schedule in queryset.select_related("team", "playbook", "periodic_task"):
        schedule_set_enabled(schedule, actor=request.user, enabled=enabled)
        count += 1
    state = "enabled" if enabled else "disabled"
    modeladmin.message_user(request, f"{count} schedule(s) {state}.", messages.SUCCESS)


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "playbook", "kind", "time_zone", "enabled", "last_run_at"]
    list_filter = ["kind", "enabled", "team"]
    search_fields = ["name", "playbook__name"]
    list_select_related = ["team", "playbook"]
    fields = FIELDS
    readonly_fields = FIELDS
    actions = [enable, disable]

    def has_view_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_toggle_permission(self, request):
        return user_is_admin(request.user)

    def delete_model(self, request, obj):
        schedule_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for schedule in queryset:
            schedule_delete(schedule, actor=request.user)
