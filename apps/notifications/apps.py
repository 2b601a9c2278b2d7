from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from apps.core.metrics import register_collector
        from apps.notifications.metrics import DeliveryCollector

        register_collector(DeliveryCollector)
