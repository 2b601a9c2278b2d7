"""The API's pages: ``?page=<n>``, 50 a page (``PAGE_SIZE``)."""

from rest_framework.pagination import PageNumberPagination


class PortalPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, with a ``page`` that is not a page number (empty, ``last``) a 404
    like any other page that does not exist, rather than page 1 or the last page."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return request.query_params.get(self.page_query_param, 1)
