"""The single DRF router for API version 1, plus its schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from apps.accounts.api import MeView, TeamViewSet
from apps.accounts.api_auth import JwtLogoutView, JwtObtainView, JwtRefreshView, TokenView
from apps.credentials.api import CredentialViewSet
from apps.executions.api import ExecutionViewSet
from apps.executions.batch_api import BatchViewSet
from apps.files.api import FileViewSet
from apps.gateways.api import GatewayViewSet
from apps.notifications.api import DestinationViewSet, RuleViewSet
from apps.playbooks.api import PlaybookViewSet, PresetViewSet, StepTypeListView
from apps.reports.api import urlpatterns as report_urls
from apps.reports.api_trends import urlpatterns as trends_urls
from apps.schedules.api import ScheduleViewSet

# No format-suffix routes (``/executions.json``): JSON is the API's only format, served at the
# plain paths, and a suffix is a 404 on every route alike.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("teams", TeamViewSet, basename="team")
router.register("playbooks", PlaybookViewSet, basename="playbook")
router.register("presets", PresetViewSet, basename="preset")
router.register("credentials", CredentialViewSet, basename="credential")
router.register("gateways", GatewayViewSet, basename="gateway")
router.register("executions", ExecutionViewSet, basename="execution")
router.register("batches", BatchViewSet, basename="batch")
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register(
    "notification-destinations", DestinationViewSet, basename="notification-destination"
)
router.register("notification-rules", RuleViewSet, basename="notification-rule")
router.register("files", FileViewSet, basename="file")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/jwt/", JwtObtainView.as_view(), name="api-jwt"),
    path("auth/jwt/refresh/", JwtRefreshView.as_view(), name="api-jwt-refresh"),
    path("auth/jwt/logout/", JwtLogoutView.as_view(), name="api-jwt-logout"),
    path("step-types", StepTypeListView.as_view(), name="api-step-types"),
    path("step-types/", StepTypeListView.as_view()),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from the sidecar package's static files, its start-up script from the same
    # view (?script): the page needs no inline script or style, and no CDN.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="core/api_docs.html"
        ),
        name="api-docs",
    ),
    *report_urls,
    *trends_urls,
    *router.urls,
]
