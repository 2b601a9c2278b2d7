"""The trends pages of a playbook and of a gateway: charts, their figures as tables, flaky
steps and the last failure's screenshot."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors
from apps.gateways.selectors import gateway_get_for_user
from apps.playbooks.selectors import playbook_get_for_user
from apps.reports.charts import duration_chart, pass_rate_chart
from apps.reports.forms import WINDOW_CHOICES, TrendsWindowForm
from apps.reports.trends import Trends, trends_for_gateway, trends_for_playbook


@require_GET
@domain_errors("playbooks:list")
def playbook_trends(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    playbook = playbook_get_for_user(request.user, pk)
    form = TrendsWindowForm(request.GET)
    subject = {
        "kind": "playbook",
        "name": playbook.name,
        "url": reverse("playbooks:detail", args=[playbook.pk]),
        "api_url": reverse("api-playbook-trends", args=[playbook.pk]),
    }
    return _page(request, form, subject, trends_for_playbook(request.user, playbook, form.window()))


@require_GET
@domain_errors("gateways:list")
def gateway_trends(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    gateway = gateway_get_for_user(request.user, pk)
    form = TrendsWindowForm(request.GET)
    subject = {
        "kind": "gateway",
        "name": gateway.name,
        "url": f"{reverse('gateways:list')}#gateway-{gateway.pk}",
        "api_url": reverse("api-gateway-trends", args=[gateway.pk]),
    }
    return _page(request, form, subject, trends_for_gateway(request.user, gateway, form.window()))


def _page(request, form: TrendsWindowForm, subject: dict, trends: Trends) -> TemplateResponse:
    context = {
        "form": form,
        "subject": subject,
        "trends": trends,
        "windows": [days for days, _label in WINDOW_CHOICES],
        "pass_rate_chart": pass_rate_chart(trends.buckets),
        "duration_chart": duration_chart(trends.buckets),
    }
    status = 400 if form.errors else 200
    return TemplateResponse(request, "reports/trends.html", context, status=status)
