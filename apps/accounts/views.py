"""Login and logout pages.

Failed logins are counted by django-axes (the authentication backend and its middleware); a
locked-out user gets the page from ``apps.accounts.lockout.lockout_response``.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logs out on POST (CSRF-protected) and returns to the login page."""
