from django.urls import path

from apps.credentials import views

app_name = "credentials"

urlpatterns = [
    path("", views.credential_list, name="list"),
    path("new/", views.credential_add, name="create"),
    path("<int:pk>/edit/", views.credential_edit, name="edit"),
    path("<int:pk>/delete/", views.credential_remove, name="delete"),
    path("<int:pk>/test/", views.credential_test, name="test"),
]
