"""Admin for gateway targets; writes go through the gateway services."""

from django import forms
from django.contrib import admin

from apps.accounts.selectors import user_is_admin
from apps.core import gateway_probe as probe
from apps.core.errors import ApplicationError
from apps.gateways.models import Gateway
from apps.gateways.services import gateway_create, gateway_delete, gateway_update

EDITABLE = ["name", "base_url", "version", "default_credential", "tags"]


class GatewayAdminForm(forms.ModelForm):
    class Meta:
        model = Gateway
        fields = [
            "team",
            "name",
            "base_url",
            "version",
            "default_credential",
            "tags",
            "allow_concurrent_runs",
            "description",
        ]

    def clean_base_url(self):
        try:
            return probe.validate_base_url(self.cleaned_data["base_url"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(Gateway)
class GatewayAdmin(admin.ModelAdmin):
    form = GatewayAdminForm
    list_display = ["name", "team", "base_url", "version", "default_credential", "updated_at"]
    list_filter = ["version", "allow_concurrent_runs", "team"]
    search_fields = ["name", "base_url", "description"]
    list_select_related = ["team", "default_credential"]
    autocomplete_fields = ["default_credential"]
    readonly_fields = ["created_at", "updated_at"]

    def has_add_permission(self, request):
        return user_is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_admin(request.user)

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data[name]
            for name in [*EDITABLE, "allow_concurrent_runs", "description"]
            if name in form.cleaned_data
        }
        if change:
            gateway_update(obj, actor=request.user, **values)
            return
        created = gateway_create(team=form.cleaned_data["team"], actor=request.user, **values)
        obj.pk = created.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        gateway_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for gateway in queryset:
            gateway_delete(gateway, actor=request.user)
