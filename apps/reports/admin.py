"""Reports are written by runs only: read-only in the admin."""

from django.contrib import admin

from apps.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "execution", "total", "passed", "failed", "skipped", "created_at"]
    readonly_fields = [field.name for field in Report._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
