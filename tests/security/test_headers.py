"""Security headers under production settings: HSTS only with secure cookies over HTTPS (as
a TLS proxy reports it), and the CSP naming the requested host's websockets."""

import json
import subprocess
import sys

from tests.toolkit_project.test_settings import PRODUCTION, REPOSITORY

# Requests /health/live as plain HTTP and as HTTPS reported by the proxy; prints the headers.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/health/live", HTTP_HOST="portal.plant.local")
https = client.get("/health/live", HTTP_HOST="portal.plant.local", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps([dict(plain.headers), dict(https.headers)]))
"""


def headers(**env: str) -> tuple[dict, dict]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**PRODUCTION, "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto", **env},
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    plain, https = json.loads(result.stdout)
    return plain, https


def test_hsts_is_sent_over_https_when_cookies_are_secure():
    plain, https = headers(DJANGO_SECURE_COOKIES="true")

    assert https["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in plain


def test_hsts_can_include_subdomains_and_is_off_without_secure_cookies():
    _, including = headers(DJANGO_SECURE_COOKIES="true", DJANGO_HSTS_INCLUDE_SUBDOMAINS="true")
    _, insecure = headers(DJANGO_SECURE_COOKIES="false")

    assert including["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in insecure


def test_every_response_carries_the_policy_and_the_other_headers():
    plain, _ = headers()

    policy = dict(
        part.strip().split(" ", 1) for part in plain["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["connect-src"] == "'self' ws://portal.plant.local wss://portal.plant.local"
    assert (policy["frame-ancestors"], policy["object-src"]) == ("'none'", "'none'")
    assert (policy["form-action"], policy["base-uri"]) == ("'self'", "'self'")
    assert plain["X-Content-Type-Options"] == "nosniff"
    assert plain["X-Frame-Options"] == "DENY"
    assert plain["Referrer-Policy"] == "same-origin"
    assert plain["Cross-Origin-Opener-Policy"] == "same-origin"
