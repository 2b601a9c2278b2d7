"""Admin for the files library: read and delete; uploads go through the Files page or API."""

from django.contrib import admin, messages

from apps.accounts.selectors import user_is_admin
from apps.core.errors import ApplicationError
from apps.files.models import FileVersion, LibraryFile
from apps.files.services import file_delete


class FileVersionInline(admin.TabularInline):
    model = FileVersion
    fields = ["number", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return user_is_admin(request.user)


@admin.register(LibraryFile)
class LibraryFileAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "created_at", "updated_at"]
    list_filter = ["team"]
    search_fields = ["name", "description"]
    list_select_related = ["team"]
    readonly_fields = ["team", "name", "created_at", "updated_at"]
    fields = ["team", "name", "description", "created_at", "updated_at"]
    inlines = [FileVersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def delete_model(self, request, obj):
        self._delete(request, obj)

    def delete_queryset(self, request, queryset):
        for library_file in queryset:
            self._delete(request, library_file)

    def _delete(self, request, library_file) -> None:
        """A file still named by a schedule stays; the refusal says which schedules."""
        try:
            file_delete(library_file, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
