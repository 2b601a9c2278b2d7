from django.urls import path

from apps.playbooks import views, views_editor, views_import, views_run

app_name = "playbooks"

urlpatterns = [
    path("", views.playbook_list, name="list"),
    path("new/", views.playbook_create, name="create"),
    path("import/", views.playbook_import_file, name="import"),
    path("import-set/", views_import.playbook_import_set_view, name="import-set"),
    path("<int:pk>/", views.playbook_detail, name="detail"),
    path("<int:pk>/run/", views_run.playbook_run, name="run"),
    path("<int:pk>/validate/", views_editor.playbook_validate, name="validate"),
    path("<int:pk>/yaml/", views_editor.playbook_save_yaml, name="save-yaml"),
    path("<int:pk>/steps/<str:step_id>/", views_editor.playbook_step, name="step"),
    path("<int:pk>/diff/", views_editor.playbook_diff, name="diff"),
    path("<int:pk>/restore/", views_editor.playbook_restore, name="restore"),
    path("<int:pk>/duplicate/", views.playbook_copy, name="duplicate"),
    path("<int:pk>/export/", views.playbook_download, name="export"),
    path("<int:pk>/delete/", views.playbook_remove, name="delete"),
    path("<int:pk>/verify/", views.playbook_flag, {"flag": "verified"}, name="verify"),
    path("<int:pk>/enable/", views.playbook_flag, {"flag": "enabled"}, name="enable"),
]
