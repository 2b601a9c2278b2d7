"""API downloads of a run or a batch: its reports (JUnit XML, HTML, JSON), its artifacts zip
and each artifact, for anyone who may see it, signed in by session, API token or JWT.

Each report has its own path (``report.junit.xml``, ``report.html``, ``report.json``,
``artifacts.zip``): a CI script names the file it wants, and errors stay JSON.
"""

import json

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from apps.core.errors import NotFoundError
from apps.core.schema import ErrorSerializer, errors
from apps.executions.artifact_files import artifact_open
from apps.executions.batch_selectors import batch_get_for_user
from apps.executions.export import execution_export_data
from apps.executions.models import Execution
from apps.executions.selectors import execution_get_for_user
from apps.reports.archive import artifacts_zip, batch_artifacts_zip
from apps.reports.batch_html import batch_html_report
from apps.reports.batch_report import batch_junit_xml, batch_summary_json
from apps.reports.html_report import html_report
from apps.reports.junit import junit_xml
from apps.reports.run_report import api_artifact_url, run_report_load

ERRORS = errors(401, 403, 404)
STORE_ERROR = {
    503: OpenApiResponse(ErrorSerializer, description="The artifact store cannot be read.")
}
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"


class AnyAccept(DefaultContentNegotiation):
    """The download is the answer whatever the client accepts; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RunDownloadView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAccept

    def execution(self, pk) -> Execution:
        return execution_get_for_user(self.request.user, pk)


def attachment(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _binary(media_type: str, what: str, *, reads_store: bool = False) -> dict:
    answer = {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=what)}
    return {**answer, **ERRORS, **(STORE_ERROR if reads_store else {})}


class JunitReportView(RunDownloadView):
    @extend_schema(
        operation_id="executions_report_junit",
        responses=_binary(
            "application/xml", "JUnit XML: a testsuite per run, a testcase per step."
        ),
        tags=["executions"],
    )
    def get(self, request, pk):
        execution = self.execution(pk)
        xml = junit_xml(run_report_load(execution), artifact_url=api_artifact_url)
        return attachment(xml, f"execution-{execution.pk}.junit.xml", "application/xml")


class HtmlReportView(RunDownloadView):
    @extend_schema(
        operation_id="executions_report_html",
        responses=_binary("text/html", "One HTML file that opens offline, screenshots inline."),
        tags=["executions"],
    )
    def get(self, request, pk):
        execution = self.execution(pk)
        page = html_report(run_report_load(execution))
        response = attachment(page, f"execution-{execution.pk}.html", "text/html; charset=utf-8")
        response["Content-Security-Policy"] = REPORT_CSP
        return response


class JsonReportView(RunDownloadView):
    @extend_schema(
        operation_id="executions_report_json",
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The run, its steps, artifacts and events."
            ),
            **ERRORS,
        },
        tags=["executions"],
    )
    def get(self, request, pk):
        execution = self.execution(pk)
        data = execution_export_data(execution, artifact_url=api_artifact_url)
        body = json.dumps(data, indent=2, default=str)
        return attachment(body, f"execution-{execution.pk}.json", "application/json")


class ArtifactsZipView(RunDownloadView):
    @extend_schema(
        operation_id="executions_artifacts_zip",
        responses=_binary(
            "application/zip", "Every stored file of the run, by step.", reads_store=True
        ),
        tags=["executions"],
    )
    def get(self, request, pk):
        execution = self.execution(pk)
        return FileResponse(
            artifacts_zip(execution),
            as_attachment=True,
            filename=f"execution-{execution.pk}-artifacts.zip",
            content_type="application/zip",
        )


class ArtifactView(RunDownloadView):
    @extend_schema(
        operation_id="executions_artifact",
        responses=_binary(
            "application/octet-stream", "The stored file, as an attachment.", reads_store=True
        ),
        tags=["executions"],
    )
    def get(self, request, pk, artifact_id):
        artifact = get_object_or_404(self.execution(pk).artifacts, pk=artifact_id)
        stream = artifact_open(artifact)
        if stream is None:
            raise NotFoundError(f"The file of artifact {artifact.name} is missing from the store.")
        return FileResponse(
            stream,
            as_attachment=True,
            filename=artifact.name,
            content_type=artifact.content_type or "application/octet-stream",
        )


class BatchJunitReportView(RunDownloadView):
    @extend_schema(
        operation_id="batches_report_junit",
        responses=_binary(
            "application/xml",
            "JUnit XML: a testsuite per gateway (its last run), a testcase per step.",
        ),
        tags=["batches"],
    )
    def get(self, request, pk):
        batch = batch_get_for_user(request.user, pk)
        return attachment(batch_junit_xml(batch), f"batch-{batch.pk}.junit.xml", "application/xml")


class BatchJsonReportView(RunDownloadView):
    @extend_schema(
        operation_id="batches_report_json",
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The batch's summary, one row per gateway."
            ),
            **ERRORS,
        },
        tags=["batches"],
    )
    def get(self, request, pk):
        batch = batch_get_for_user(request.user, pk)
        return attachment(batch_summary_json(batch), f"batch-{batch.pk}.json", "application/json")


class BatchHtmlReportView(RunDownloadView):
    @extend_schema(
        operation_id="batches_report_html",
        responses=_binary(
            "text/html",
            "One HTML file that opens offline: a row per gateway, then each gateway's run.",
        ),
        tags=["batches"],
    )
    def get(self, request, pk):
        batch = batch_get_for_user(request.user, pk)
        page = batch_html_report(batch)
        response = attachment(page, f"batch-{batch.pk}.html", "text/html; charset=utf-8")
        response["Content-Security-Policy"] = REPORT_CSP
        return response


class BatchArtifactsZipView(RunDownloadView):
    @extend_schema(
        operation_id="batches_artifacts_zip",
        responses=_binary(
            "application/zip",
            "Every stored file of each gateway's last run, a folder per gateway.",
            reads_store=True,
        ),
        tags=["batches"],
    )
    def get(self, request, pk):
        batch = batch_get_for_user(request.user, pk)
        return FileResponse(
            batch_artifacts_zip(batch),
            as_attachment=True,
            filename=f"batch-{batch.pk}-artifacts.zip",
            content_type="application/zip",
        )


urlpatterns = [
    path(
        "batches/<uuid:pk>/report.junit.xml",
        BatchJunitReportView.as_view(),
        name="api-batch-report-junit",
    ),
    path(
        "batches/<uuid:pk>/report.json", BatchJsonReportView.as_view(), name="api-batch-report-json"
    ),
    path(
        "batches/<uuid:pk>/report.html", BatchHtmlReportView.as_view(), name="api-batch-report-html"
    ),
    path(
        "batches/<uuid:pk>/artifacts.zip",
        BatchArtifactsZipView.as_view(),
        name="api-batch-artifacts-zip",
    ),
    path(
        "executions/<uuid:pk>/report.junit.xml", JunitReportView.as_view(), name="api-report-junit"
    ),
    path("executions/<uuid:pk>/report.html", HtmlReportView.as_view(), name="api-report-html"),
    path("executions/<uuid:pk>/report.json", JsonReportView.as_view(), name="api-report-json"),
    path(
        "executions/<uuid:pk>/artifacts.zip", ArtifactsZipView.as_view(), name="api-artifacts-zip"
    ),
    path(
        "executions/<uuid:pk>/artifacts/<int:artifact_id>/",
        ArtifactView.as_view(),
        name="api-execution-artifact",
    ),
]
