"""Request types for views that require a logged-in user."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from apps.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: "User"
