from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    """The gateway simulator: its own ASGI app; it never touches the portal's database."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.simulator"
    label = "simulator"
    verbose_name = "Gateway simulator"
