from django.urls import path

from apps.reports import views

app_name = "reports"

urlpatterns = [
    path("playbooks/<int:pk>/", views.playbook_trends, name="playbook-trends"),
    path("gateways/<int:pk>/", views.gateway_trends, name="gateway-trends"),
]
