from django.apps import AppConfig


class GatewaysConfig(AppConfig):
    name = "apps.gateways"
    label = "gateways"
    verbose_name = "Gateway targets"
