"""Admin for the vault: secrets are write-only here too and every write goes to a service."""

from django import forms
from django.contrib import admin

from apps.accounts.selectors import user_is_admin
from apps.core.errors import ApplicationError
from apps.credentials.models import SECRET_PLACEHOLDER, Credential
from apps.credentials.services import (
    credential_check_fields,
    credential_create,
    credential_delete,
    credential_update,
)


class CredentialAdminForm(forms.ModelForm):
    new_secret = forms.CharField(
        label="Secret",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only. Leave empty to keep the stored secret.",
    )

    class Meta:
        model = Credential
        fields = ["team", "name", "kind", "username", "gateway_url", "description", "shared"]

    def clean(self):
        cleaned = super().clean()
        secret = cleaned.get("new_secret", "")
        if self.instance.pk is None and secret in ("", SECRET_PLACEHOLDER):
            self.add_error("new_secret", "A new credential needs its secret.")
        kind = cleaned.get("kind", self.instance.kind)
        try:
            credential_check_fields(
                kind=kind,
                username=cleaned.get("username", ""),
                gateway_url=cleaned.get("gateway_url", ""),
            )
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return cleaned


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    form = CredentialAdminForm
    list_display = ["name", "team", "kind", "username", "gateway_url", "shared", "owner"]
    list_filter = ["kind", "shared", "team"]
    search_fields = ["name", "username", "gateway_url", "description"]
    list_select_related = ["team", "owner"]
    readonly_fields = ["secret_status", "owner", "created_at", "updated_at"]

    @admin.display(description="Stored secret")
    def secret_status(self, obj) -> str:
        return SECRET_PLACEHOLDER if obj.pk else "-"

    def get_readonly_fields(self, request, obj=None):
        immutable = ["team", "name", "kind"] if obj is not None else []
        return [*immutable, *self.readonly_fields]

    def has_add_permission(self, request):
        return user_is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        secret = data.get("new_secret", "")
        if change:
            fields = ["username", "gateway_url", "description", "shared"]
            changes = {name: data[name] for name in fields if name in form.changed_data}
            credential_update(obj, actor=request.user, secret=secret, **changes)
            return
        created = credential_create(
            team=data["team"],
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            secret=secret,
            username=data.get("username", ""),
            gateway_url=data.get("gateway_url", ""),
            description=data.get("description", ""),
            shared=data.get("shared", False),
        )
        obj.pk = created.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        credential_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for credential in queryset:
            credential_delete(credential, actor=request.user)
