from django.apps import AppConfig


class ExecutionsConfig(AppConfig):
    name = "apps.executions"
    label = "executions"
    verbose_name = "Executions"

    def ready(self) -> None:
        from apps.core.metrics import register_collector
        from apps.executions import worker  # noqa: F401  (connects Celery worker hooks)
        from apps.executions.metrics import HistoryCollector

        register_collector(HistoryCollector)
