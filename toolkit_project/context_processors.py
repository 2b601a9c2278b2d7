"""Template context shared by every page: the navigation shell (each app's section), footer."""

from django.urls import NoReverseMatch, reverse

from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from toolkit_project.version import portal_version

# The shell's sections in order: label, page, the role the page requires (None: any user). A
# section appears once its app provides the named page, to the users its page lets in.
NAVIGATION = (
    ("Playbooks", "playbooks:list", None),
    ("Executions", "executions:list", None),
    ("Credentials", "credentials:list", None),
    ("Gateways", "gateways:list", None),
    ("Schedules", "schedules:list", None),
    ("Notifications", "notifications:list", Role.EDITOR),
    ("Files", "files:list", None),
)


def navigation(request):
    items = []
    user = getattr(request, "user", None)
    for label, url_name, role in NAVIGATION:
        if role is not None and (user is None or not user_has_role(user, role)):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    if user is not None and user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index"), "active": False})
    return {"navigation": items, "portal_version": portal_version()}
