from django.apps import AppConfig


class GatewaysConfig(AppConfig):
    name = "apps.gateways"
    label = "gateways"
    verbose_name = "Gateway targets"

    def ready(self) -> None:
        from apps.credentials.targets import register_team_gateway_urls
        from apps.gateways.selectors import gateway_base_urls_for_team

        register_team_gateway_urls(gateway_base_urls_for_team)
