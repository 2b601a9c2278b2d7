"""Admin for playbooks (read-mostly, with verify/enable actions) and presets."""

from django.contrib import admin, messages

from apps.accounts.selectors import user_is_admin
from apps.core.errors import ApplicationError
from apps.playbooks.models import Playbook, PlaybookVersion, Preset
from apps.playbooks.services import (
    playbook_delete,
    playbook_set_enabled,
    playbook_set_verified,
    preset_delete,
    preset_update,
)


class PlaybookVersionInline(admin.TabularInline):
    model = PlaybookVersion
    fields = ["revision", "author", "change_note", "sha256", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


def _each(modeladmin, request, queryset, service, done: str, **kwargs) -> None:
    count = 0
    for playbook in queryset:
        try:
            service(playbook, actor=request.user, **kwargs)
        except ApplicationError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            continue
        count += 1
    modeladmin.message_user(request, f"{count} playbook(s) {done}.", messages.SUCCESS)


@admin.action(description="Mark selected playbooks verified")
def verify(modeladmin, request, queryset):
    _each(modeladmin, request, queryset, playbook_set_verified, "verified", verified=True)


@admin.action(description="Mark selected playbooks unverified")
def unverify(modeladmin, request, queryset):
    _each(modeladmin, request, queryset, playbook_set_verified, "unverified", verified=False)


@admin.action(description="Enable selected playbooks")
def enable(modeladmin, request, queryset):
    _each(modeladmin, request, queryset, playbook_set_enabled, "enabled", enabled=True)


@admin.action(description="Disable selected playbooks")
def disable(modeladmin, request, queryset):
    _each(modeladmin, request, queryset, playbook_set_enabled, "disabled", enabled=False)


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "path", "domain", "origin", "enabled", "verified", "updated_at"]
    list_filter = ["domain", "origin", "enabled", "verified", "team"]
    search_fields = ["name", "path", "description", "group"]
    list_select_related = ["team"]
    actions = [verify, unverify, enable, disable]
    inlines = [PlaybookVersionInline]
    readonly_fields = [
        "team",
        "path",
        "name",
        "version",
        "domain",
        "group",
        "description",
        "enabled",
        "verified",
        "verified_by",
        "verified_at",
        "origin",
        "duplicated_from",
        "current_version",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user) and (obj is None or not obj.is_builtin)

    def delete_model(self, request, obj):
        playbook_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        # Built-ins never get here: has_delete_permission refuses them per object.
        for playbook in queryset:
            playbook_delete(playbook, actor=request.user)


@admin.register(Preset)
class PresetAdmin(admin.ModelAdmin):
    list_display = ["name", "playbook", "owner", "shared", "updated_at"]
    list_filter = ["shared", "playbook__team"]
    search_fields = ["name", "playbook__name", "owner__username"]
    list_select_related = ["playbook", "owner"]
    fields = ["playbook", "owner", "name", "values", "shared", "created_at", "updated_at"]
    readonly_fields = ["playbook", "owner", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        preset_update(
            obj, actor=request.user, name=data["name"], values=data["values"], shared=data["shared"]
        )

    def delete_model(self, request, obj):
        preset_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for preset in queryset:
            preset_delete(preset, actor=request.user)
