"""Admin for users, teams, roles and the audit log; every change goes to an audited service."""

from contextvars import ContextVar

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group

from apps.accounts.models import AuditEntry, Membership, Team, User
from apps.accounts.roles import Role
from apps.accounts.services import (
    ADMIN_ROLE_REFUSAL,
    USER_FIELDS,
    role_group,
    team_check_name,
    team_create,
    team_delete,
    team_update,
    user_create,
    user_delete,
    user_set_password,
    user_set_teams,
    user_update,
)
from apps.core.errors import ApplicationError

# Django's password view builds its form from the user and the data only: the admin user
# reaches the form's save() through this variable, set for the length of the request.
_password_actor: ContextVar[User | None] = ContextVar("password_actor", default=None)


def _chosen_password(form) -> str | None:
    """The password a creation or password form was given; ``None`` for "no password login"."""
    return form.cleaned_data["password1"] if form.cleaned_data["set_usable_password"] else None


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        return user_set_password(
            self.user, password=_chosen_password(self), actor=_password_actor.get()
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "is_staff", "is_active", "last_login"]
    change_password_form = AuditedPasswordChangeForm

    def get_readonly_fields(self, request, obj=None):
        """Only superusers make superusers or grant single permissions; the login and joining
        dates are the system's (the audited service does not change them)."""
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        """For staff who are not superusers, a form that refuses to give the admin role."""
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser or "groups" not in form.base_fields:
            return form

        class StaffUserForm(form):
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                admin_role = role_group(Role.ADMIN)
                held = self.instance.pk and self.instance.groups.filter(pk=admin_role.pk).exists()
                if admin_role in groups and not held:
                    raise forms.ValidationError(ADMIN_ROLE_REFUSAL)
                return groups

        return StaffUserForm

    def save_model(self, request, obj, form, change):
        if not change:
            created = user_create(
                username=obj.username, password=_chosen_password(form), actor=request.user
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        data = form.cleaned_data
        changes = {name: data[name] for name in USER_FIELDS if name in form.changed_data}
        related = {
            "groups": data["groups"] if "groups" in form.changed_data else None,
            "permissions": (
                data["user_permissions"] if "user_permissions" in form.changed_data else None
            ),
        }
        obj.refresh_from_db()
        user_update(obj, actor=request.user, **related, **changes)

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were set by user_update in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        kept = [
            membership.cleaned_data["team"]
            for membership in formset.forms
            if membership.cleaned_data.get("team") and membership not in formset.deleted_forms
        ]
        user_set_teams(form.instance, teams=kept, actor=request.user)
        # The admin's own history message reads these; the audit log has the details.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        user_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            user_delete(user, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        token = _password_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "description"]

    def clean_name(self):
        try:
            return team_check_name(self.cleaned_data["name"], team=self.instance)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    search_fields = ["name"]
    list_display = ["name", "description", "created_at"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = team_create(
                name=data["name"], description=data["description"], actor=request.user
            )
            obj.pk, obj._state.adding = created.pk, False
            return
        obj.refresh_from_db()
        team_update(obj, actor=request.user, name=data["name"], description=data["description"])

    def delete_model(self, request, obj):
        team_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for team in queryset:
            team_delete(team, actor=request.user)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """The four role groups are fixed (code checks them by name): they cannot be edited."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.exclude(name__in=Role.values))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
