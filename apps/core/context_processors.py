"""Template context shared by every page: the navigation shell and its footer."""

from django.urls import NoReverseMatch, reverse

from toolkit_project.version import portal_version

# The shell's sections in order. A section appears once its app provides the named page.
NAVIGATION = (
    ("Playbooks", "playbooks:list"),
    ("Executions", "executions:list"),
    ("Credentials", "credentials:list"),
    ("Gateways", "gateways:list"),
    ("Schedules", "schedules:list"),
    ("Notifications", "notifications:list"),
    ("Files", "files:list"),
)


def navigation(request):
    items = []
    for label, url_name in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index"), "active": False})
    return {"navigation": items, "portal_version": portal_version()}
