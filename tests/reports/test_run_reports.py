"""Reports of a finished run through the API: JUnit XML, the offline HTML page, JSON and the
artifacts zip, each downloaded with an API token or a JWT."""

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from apps.executions.artifact_files import artifact_open
from tests.reports.conftest import SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("junit.xsd"))


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def jwt_client(user) -> APIClient:
    client = APIClient()
    access = RefreshToken.for_user(user).access_token
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_junit_report_validates_and_a_failed_step_is_a_failure(reported_run, viewer):
    response, body = download(
        token_client(viewer), f"/api/v1/executions/{reported_run.pk}/report.junit.xml"
    )

    assert response["Content-Type"] == "application/xml"
    SCHEMA.validate(io.BytesIO(body))
    root = ElementTree.fromstring(body)  # noqa: S314 - the portal's own document
    suite = root.find("testsuite")
    assert (root.get("tests"), root.get("failures")) == ("6", "1")  # 5 steps + the child's one
    assert [case.get("name") for case in suite.findall("testcase")] == [
        "0 Open the form",
        "1 Screenshot",
        "2 Log the pin",
        "3 Call the child",
        "4 Wait a pin's worth",
    ]
    failure = suite.find('testcase[@name="4 Wait a pin\'s worth"]/failure')
    assert failure.get("type") == "utility.sleep"
    assert "[SECURE]" in failure.get("message")
    child = suite.find("testsuite")
    assert child.get("name") == "reports/child.yaml"
    assert child.find("testcase").get("name") == "3.0 Greet from the child"
    assert "hello from the child" in child.find("testcase/system-out").text
    assert "pin=[SECURE]" in suite.find("testcase[@name='2 Log the pin']/system-out").text
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["execution.id"] == str(reported_run.pk)
    assert properties["parameter:admin_pin"] == "$encrypted$"
    link = properties["artifact:1:page.png"]
    assert link.startswith(f"/api/v1/executions/{reported_run.pk}/artifacts/")
    _, picture = download(token_client(viewer), link)  # a token script follows the link
    assert picture.startswith(b"\x89PNG")
    assert SECRET.encode() not in body


def test_every_download_works_with_a_token_and_a_jwt(reported_run, viewer):
    base = f"/api/v1/executions/{reported_run.pk}"
    for client in (token_client(viewer), jwt_client(viewer)):
        for name, content_type in [
            ("report.junit.xml", "application/xml"),
            ("report.html", "text/html; charset=utf-8"),
            ("report.json", "application/json"),
            ("artifacts.zip", "application/zip"),
        ]:
            response, body = download(client, f"{base}/{name}")
            assert response["Content-Type"] == content_type
            assert "attachment" in response["Content-Disposition"]
            assert SECRET.encode() not in body


def test_the_json_report_is_the_run_export_with_api_links(reported_run, operator):
    _, body = download(token_client(operator), f"/api/v1/executions/{reported_run.pk}/report.json")
    data = json.loads(body)
    assert [step["path"] for step in data["steps"]] == ["0", "1", "2", "3", "3.0", "4"]
    shot = next(a for a in data["artifacts"] if a["name"] == "page.png")
    assert shot["url"] == f"/api/v1/executions/{reported_run.pk}/artifacts/{shot['id']}/"
    assert data["parameters"]["admin_pin"] == "$encrypted$"


def test_the_artifacts_zip_holds_each_file_under_its_step(reported_run, operator):
    _, body = download(
        token_client(operator), f"/api/v1/executions/{reported_run.pk}/artifacts.zip"
    )

    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == ["1/page.png"]
    stored = reported_run.artifacts.get(name="page.png")
    assert archive.read("1/page.png") == stored_bytes(stored)


def stored_bytes(artifact) -> bytes:
    with artifact_open(artifact) as stream:
        return stream.read()


@pytest.fixture
def report_file(reported_run, viewer, tmp_path) -> Path:
    _, body = download(token_client(viewer), f"/api/v1/executions/{reported_run.pk}/report.html")
    target = tmp_path / "report.html"
    target.write_bytes(body)
    return target


def test_the_html_report_opens_offline_with_every_step_and_its_screenshot(report_file, page):
    requested = []

    def block(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", block)
    page.goto(report_file.as_uri())

    rows = page.locator("#steps tr.step")
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.path)") == [
        "0",
        "1",
        "2",
        "3",
        "3.0",
        "4",
    ]
    assert page.locator("#run-status").inner_text() == "Completed"
    shot = page.locator("tr.step[data-path='1'] img.shot")
    assert shot.evaluate("img => img.complete && img.naturalWidth > 0") is True
    error = page.locator("tr.step[data-path='4'] pre.error").inner_text()
    assert error == "could not convert string to float: '[SECURE]'"
    assert "pin=[SECURE]" in page.locator("#log").inner_text()
    assert page.locator("#parameters").inner_text().count("$encrypted$") == 1
    assert requested == [report_file.as_uri()]  # nothing else was fetched
    assert SECRET not in page.content()
