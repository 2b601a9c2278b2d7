"""``GET /api/v1/playbooks/<id>/trends/`` and ``GET /api/v1/gateways/<id>/trends/``: the
trends page's figures as JSON, over the runs the caller may see."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.schema import errors
from apps.gateways.selectors import gateway_get_for_user
from apps.playbooks.selectors import playbook_get_for_user
from apps.reports.forms import TrendsQuery
from apps.reports.serializers import TrendsOutput
from apps.reports.trends import Trends, trends_for_gateway, trends_for_playbook


def _answer(trends: Trends) -> Response:
    return Response(TrendsOutput(trends).data)


def _window(request) -> int:
    query = TrendsQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["days"]


class PlaybookTrendsView(APIView):
    @extend_schema(
        operation_id="playbooks_trends",
        summary="Pass rate, durations, flaky steps and the last failure of a playbook's runs",
        parameters=[TrendsQuery],
        responses={200: TrendsOutput, **errors(401)},
        tags=["playbooks"],
    )
    def get(self, request, id: int):
        days = _window(request)
        playbook = playbook_get_for_user(request.user, id)
        return _answer(trends_for_playbook(request.user, playbook, days))


class GatewayTrendsView(APIView):
    @extend_schema(
        operation_id="gateways_trends",
        summary="Pass rate, durations, flaky steps and the last failure of a gateway's runs",
        parameters=[TrendsQuery],
        responses={200: TrendsOutput, **errors(401)},
        tags=["gateways"],
    )
    def get(self, request, id: int):
        days = _window(request)
        gateway = gateway_get_for_user(request.user, id)
        return _answer(trends_for_gateway(request.user, gateway, days))


urlpatterns = [
    path("playbooks/<int:id>/trends/", PlaybookTrendsView.as_view(), name="api-playbook-trends"),
    path("gateways/<int:id>/trends/", GatewayTrendsView.as_view(), name="api-gateway-trends"),
]
