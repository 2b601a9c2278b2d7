from django.urls import path

from apps.files import views

app_name = "files"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("upload/", views.file_upload_page, name="upload"),
    path("<int:pk>/", views.file_detail, name="detail"),
    path("<int:pk>/download/", views.file_download, name="download"),
    path("<int:pk>/delete/", views.file_remove, name="delete"),
]
