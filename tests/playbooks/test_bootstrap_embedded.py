import io
import json

import pytest
from django.core.management import call_command

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_bootstrap_embedded_creates_the_admin_once():
    first = json.loads(run("bootstrap_embedded", "--json"))
    second = json.loads(run("bootstrap_embedded", "--json"))

    admin = User.objects.get(username=first["username"])
    assert admin.check_password(first["password"]) is True
    assert second == {}


def test_bootstrap_embedded_plain_output():
    created = run("bootstrap_embedded")
    again = run("bootstrap_embedded")

    assert created.startswith("Created admin admin with password ")
    assert again == "An admin already exists; nothing created.\n"


def test_bootstrap_takes_the_first_admin_from_the_settings_and_prints_no_password(settings):
    settings.PORTAL_ADMIN_USERNAME = "plant-admin"
    settings.PORTAL_ADMIN_PASSWORD = "Given-by-the-installer-1"  # noqa: S105

    created = run("bootstrap_embedded", "--no-demo-gateway")

    admin = User.objects.get(username="plant-admin")
    assert admin.is_superuser
    assert admin.check_password("Given-by-the-installer-1")
    assert created == "Created admin plant-admin with the password set by PORTAL_ADMIN_PASSWORD.\n"
    assert json.loads(run("bootstrap_embedded", "--json", "--no-demo-gateway")) == {}
