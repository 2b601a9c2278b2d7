"""A ``.json`` (or any) format suffix on an API path is a 404, never a server error."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

API_PREFIX = "/api/v1/"
SAMPLES = ("1", str(uuid.UUID(int=1)), "abc")
METHODS = ("get", "post", "put", "patch", "delete")


def _api_patterns() -> list[URLPattern]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == API_PREFIX.lstrip("/"):
            return list(_flatten(entry.url_patterns))
    raise AssertionError(f"no URL resolver for {API_PREFIX}")


def _flatten(entries):
    for entry in entries:
        if isinstance(entry, URLResolver):
            yield from _flatten(entry.url_patterns)
        else:
            yield entry


def _sample_path(pattern: URLPattern) -> str:
    """The pattern with every parameter filled by a value it accepts, as a plain path."""
    text = str(pattern.pattern)
    text = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda match: _sample_for(match.group(1)), text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda _match: SAMPLES[1], text)
    return text.strip("^$").replace("\\.", ".").replace("/?", "/")


def _sample_for(regex: str) -> str:
    return next(sample for sample in SAMPLES if re.fullmatch(regex, sample))


def _suffixed_urls() -> list[str]:
    paths = sorted({_sample_path(p) for p in _api_patterns() if "format" not in str(p.pattern)})
    return [API_PREFIX + path.rstrip("/") + ".json" for path in paths]


def _is_a_parameter_value(url: str) -> bool:
    """Whether ``.json`` is part of a parameter that may hold dots (a step id)."""
    try:
        resolve(url + "/")
    except Resolver404:
        return False
    return True


def test_every_api_path_is_walked(db):
    urls = _suffixed_urls()

    assert f"{API_PREFIX}executions/1.json" in urls
    assert f"{API_PREFIX}me.json" in urls
    assert len(urls) > 40


@pytest.mark.parametrize("method", METHODS)
def test_suffixed_paths_never_answer_a_server_error(admin_user, method):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    answers = {url: getattr(client, method)(url).status_code for url in _suffixed_urls()}

    assert {url: status for url, status in answers.items() if status >= 500} == {}


def test_suffixed_paths_are_not_found(admin_user):
    """Format suffixes are not routes: the JSON answer is the only format, at the plain path."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    urls = [url for url in _suffixed_urls() if not _is_a_parameter_value(url)]
    answers = {url: client.get(url, follow=True).status_code for url in urls}

    assert {url: status for url, status in answers.items() if status != 404} == {}
