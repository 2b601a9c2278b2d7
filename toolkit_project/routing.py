"""Websocket URL patterns, one line per consumer; any other path is refused."""

from django.urls import path, re_path

from apps.core.consumers import HealthConsumer, UnknownPathConsumer
from apps.executions.batch_consumers import BatchConsumer
from apps.executions.consumers import ExecutionConsumer, ExecutionListConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    path("ws/executions/", ExecutionListConsumer.as_asgi()),
    path("ws/executions/<uuid:execution_id>/", ExecutionConsumer.as_asgi()),
    path("ws/batches/<uuid:batch_id>/", BatchConsumer.as_asgi()),
    re_path(r"", UnknownPathConsumer.as_asgi()),  # last: matches every path
]
