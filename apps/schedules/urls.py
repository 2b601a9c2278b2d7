from django.urls import path

from apps.schedules import views

app_name = "schedules"

urlpatterns = [
    path("", views.schedule_list, name="list"),
    path("new/", views.schedule_add, name="create"),
    path("<int:pk>/edit/", views.schedule_edit, name="edit"),
    path("<int:pk>/delete/", views.schedule_remove, name="delete"),
    path("<int:pk>/toggle/", views.schedule_toggle, name="toggle"),
]
