"""403, 404 and 500 are the portal's own pages, inside its shell, with a way back."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BACK = '<a href="/">Back to the home page</a>'


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def assert_passes_the_csp(response) -> None:
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert " style=" not in page


def test_not_found_is_the_portals_page_in_its_shell(operator):
    response = logged_in(operator).get("/no/such/page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in page
    assert "There is nothing at /no/such/page/" in page
    assert f'data-testid="current-user">{operator.username}<' in page
    assert BACK in page
    assert_passes_the_csp(response)


def test_forbidden_is_the_portals_page_with_the_reason(operator):
    response = logged_in(operator).get("/health/detailed")

    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in page
    assert "Detailed health is for staff users." in page
    assert f'data-testid="current-user">{operator.username}<' in page
    assert BACK in page
    assert_passes_the_csp(response)


@pytest.mark.urls("tests.resilience.failing_urls")
def test_server_error_is_the_portals_page_without_a_request_context(operator):
    response = logged_in(operator).get("/broken/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page
    assert "The error is logged" in page
    assert "Ignition Automation Portal" in page
    assert BACK in page
    assert_passes_the_csp(response)
