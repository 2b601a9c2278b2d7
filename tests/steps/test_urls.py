"""Which addresses a browser step may open."""

import pytest

from apps.steps.urls import url_scheme, web_url_problem


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("https://x/", "https"),
        ("  HTTP://x/", "http"),
        ("\x00file:///etc/passwd", "file"),
        ("f\ni\tle:///etc/passwd", "file"),
        ("view-source:http://x/", "view-source"),
        ("//host/path", ""),
        ("", ""),
    ],
)
def test_scheme_as_a_browser_reads_it(value, scheme):
    assert url_scheme(value) == scheme


@pytest.mark.parametrize("value", ["https://x/", "http://127.0.0.1:8088/web", " about:blank "])
def test_web_addresses(value):
    assert web_url_problem(value) is None


def test_a_scheme_relative_address_is_not_full():
    assert web_url_problem("//host/x") == (
        "'//host/x' is not a full address: start it with http:// or https://"
    )
