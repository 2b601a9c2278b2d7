from django.urls import path

from apps.executions import batch_views, run_views, views

app_name = "executions"

urlpatterns = [
    path("", views.execution_list, name="list"),
    path("delete/", views.execution_bulk_delete, name="delete"),
    path("<uuid:execution_id>/", views.execution_detail, name="detail"),
    path("batches/", batch_views.batch_list, name="batches"),
    path("batches/<uuid:batch_id>/", batch_views.batch_detail, name="batch"),
    path("batches/<uuid:batch_id>/rows/", batch_views.batch_rows_fragment, name="batch-rows"),
    path("<uuid:execution_id>/steps/<str:path>/", run_views.execution_step_row, name="step-row"),
    path("<uuid:execution_id>/log/", run_views.execution_log_lines, name="log-lines"),
    path("<uuid:execution_id>/artifacts/", run_views.execution_artifacts_view, name="artifacts"),
    path("<uuid:execution_id>/debug-panel/", views.execution_debug_panel, name="debug-panel"),
    path("<uuid:execution_id>/rerun/", views.execution_rerun_view, name="rerun"),
    path("<uuid:execution_id>/edit-step/", views.execution_edit_step_view, name="edit-step"),
    path("<uuid:execution_id>/export.json", views.execution_export, name="export"),
    path(
        "<uuid:execution_id>/artifacts/<int:artifact_id>/",
        views.artifact_download,
        name="artifact",
    ),
]
