"""Pages of lists: the API's ``?page=<n>`` (50 a page, ``PAGE_SIZE``), and a paginator for
pages whose total is already known."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination


class PortalPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, with a ``page`` that is not a page number (empty, ``last``) a 404
    like any other page that does not exist, rather than page 1 or the last page."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return request.query_params.get(self.page_query_param, 1)


class CountedPaginator(Paginator):
    """Django's paginator given the number of objects, for a page that counts them anyway
    (one ``COUNT`` over a large table instead of two)."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
