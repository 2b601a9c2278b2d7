"""Websocket URL patterns, one line per consumer."""

from django.urls import path

from apps.core.consumers import HealthConsumer
from apps.executions.consumers import ExecutionConsumer, ExecutionListConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    path("ws/executions/", ExecutionListConsumer.as_asgi()),
    path("ws/executions/<uuid:execution_id>/", ExecutionConsumer.as_asgi()),
]
