"""The API's JSON parser: DRF's, with the nesting limit of ``apps.core.json_input``."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from apps.core.json_input import JsonTooDeepError, json_check_depth


class BoundedJSONParser(JSONParser):
    """Refuses a body nested deeper than ``JSON_MAX_DEPTH`` with a 400 naming the limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json_check_depth(data)
        except (RecursionError, JsonTooDeepError):
            raise ParseError(str(JsonTooDeepError())) from None
        return data
