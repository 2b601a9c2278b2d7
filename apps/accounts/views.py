"""Login and logout pages and the home page.

Failed logins are counted by django-axes (the authentication backend and its middleware); a
locked-out user gets the page from ``apps.accounts.lockout.lockout_response``.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from apps.accounts.selectors import team_list_for_user, user_role_names
from apps.core.http import AuthenticatedHttpRequest


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logs out on POST (CSRF-protected) and returns to the login page."""


@require_GET
def home(request: AuthenticatedHttpRequest) -> TemplateResponse:
    context = {
        "teams": team_list_for_user(request.user),
        "roles": sorted(user_role_names(request.user)),
    }
    return TemplateResponse(request, "accounts/home.html", context)
