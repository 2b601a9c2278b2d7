from django.urls import path

from apps.gateways import views

app_name = "gateways"

urlpatterns = [
    path("", views.gateway_list, name="list"),
    path("new/", views.gateway_add, name="create"),
    path("<int:pk>/edit/", views.gateway_edit, name="edit"),
    path("<int:pk>/delete/", views.gateway_remove, name="delete"),
    path("<int:pk>/ping/", views.gateway_check, name="ping"),
]
