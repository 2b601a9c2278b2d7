"""Admin for notifications: read-only rows (no hook secret shown), deletes through the services.

Rules and destinations are created and edited on the notifications pages or the API, where
each problem shows next to its field and a webhook's secret is write-only.
"""

from django.contrib import admin

from apps.accounts.selectors import user_is_admin
from apps.notifications.models import Delivery, Destination, Rule
from apps.notifications.services import destination_delete, rule_delete


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admins see every row; nothing is added or changed here."""

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user)


@admin.register(Destination)
class DestinationAdmin(ReadOnlyAdmin):
    list_display = ["name", "team", "channel", "preset", "created_at"]
    list_filter = ["channel", "team"]
    search_fields = ["name"]
    fields = ["team", "name", "channel", "recipients", "url", "preset", "created_by"]
    fields += ["created_at", "updated_at"]

    def delete_model(self, request, obj):
        destination_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for destination in queryset.select_related("team"):
            destination_delete(destination, actor=request.user)


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["name", "team", "trigger", "scope", "enabled"]
    list_filter = ["trigger", "scope", "enabled", "team"]
    search_fields = ["name"]
    fields = ["team", "name", "trigger", "scope", "playbook", "schedule", "gateway"]
    fields += ["gateway_tag", "destinations", "enabled", "created_by", "created_at", "updated_at"]

    def delete_model(self, request, obj):
        rule_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for rule in queryset.select_related("team"):
            rule_delete(rule, actor=request.user)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "destination", "channel", "attempt", "outcome", "status_code"]
    list_filter = ["channel", "outcome", "test"]
    fields = ["created_at", "destination", "rule", "execution", "channel", "test", "attempt"]
    fields += ["outcome", "status_code", "error", "duration_ms"]

    def has_delete_permission(self, request, obj=None):
        return False
