"""What the server-rendered pages share: fragments or whole pages, redirects that htmx follows,
and domain errors."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.core.errors import ApplicationError, NotFoundError, PermissionDeniedError


def fragment_or_page(
    request, fragment: str, context: dict, *, page: str, status: int = 200, title: str = ""
) -> TemplateResponse:
    """The fragment alone for htmx; for a plain request, the fragment inside ``page`` (a shell
    that includes ``fragment`` and may show ``title``)."""
    if request.htmx:
        return TemplateResponse(request, fragment, context, status=status)
    context = {**context, "fragment": fragment, "title": title}
    return TemplateResponse(request, page, context, status=status)


def go(request, url: str) -> HttpResponse:
    """Redirect; htmx follows ``HX-Redirect`` with a full page load."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


def domain_errors(back: str | Callable[[dict], str]):
    """Not yours → 404, refused by a service → 403, anything else → its message and ``back``.

    ``back`` is a URL name, or a function of the view's keyword arguments giving the URL.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NotFoundError as exc:
                raise Http404(exc.message) from None
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from None
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return go(request, back(kwargs) if callable(back) else reverse(back))

        return wrapper

    return decorator


def refused(form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form; permission refusals stay 403s."""
    if isinstance(exc, PermissionDeniedError):
        raise exc
    form.add_error(None, exc.message)
