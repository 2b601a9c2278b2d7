from django.urls import path

from apps.core import metrics, views

app_name = "core"

urlpatterns = [
    path("health/live", views.health_live, name="health-live"),
    path("health/ready", views.health_ready, name="health-ready"),
    path("health/detailed", views.health_detailed, name="health-detailed"),
    path("metrics", metrics.metrics, name="metrics"),
]
