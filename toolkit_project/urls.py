"""HTML routes, health probes, admin and the versioned API."""

from django.contrib import admin
from django.urls import include, path

from apps.accounts.views import home

admin.site.site_header = "Ignition Automation Portal administration"
admin.site.site_title = "Ignition Automation Portal"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", home, name="home"),
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("executions/", include("apps.executions.urls")),
    path("playbooks/", include("apps.playbooks.urls")),
    path("credentials/", include("apps.credentials.urls")),
    path("gateways/", include("apps.gateways.urls")),
    path("schedules/", include("apps.schedules.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("files/", include("apps.files.urls")),
    path("trends/", include("apps.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("toolkit_project.api_urls")),
]

handler400 = "apps.core.error_views.bad_request"
handler404 = "apps.core.error_views.page_not_found"
