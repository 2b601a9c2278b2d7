from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("destinations/new/", views.destination_add, name="destination-create"),
    path("destinations/<int:pk>/", views.destination_detail, name="destination"),
    path("destinations/<int:pk>/test/", views.destination_test, name="destination-test"),
    path("destinations/<int:pk>/delete/", views.destination_remove, name="destination-delete"),
    path("rules/new/", views.rule_add, name="rule-create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
    path("rules/<int:pk>/delete/", views.rule_remove, name="rule-delete"),
]
