"""The OpenAPI schema's account of errors: every operation lists the 4xx answers it can give.

Errors are JSON, shaped by ``apps.core.exceptions.api_exception_handler``: ``{"detail": …}``
with extra keys for some errors, and ``{"<field>": ["…"]}`` for field validation errors. The
answers every operation of a kind can give (403 when not allowed, 404 for an unknown object
or page, 400/413/415 for a body) are added here; those only some operations give (409, 422,
429, a 404 for an id named in the body) are declared on the operation with ``ERRORS``.
"""

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong and what to do instead.")
    status = serializers.CharField(
        required=False, help_text="409 on a run's controls: the run's status now."
    )
    fields = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="422 on a repeated launch: the fields that differ from the first one.",
    )
    limit_bytes = serializers.IntegerField(
        required=False, help_text="413: the largest body accepted, in bytes."
    )


class ValidationErrorSerializer(serializers.Serializer):
    """Either ``detail`` (with ``issues`` or ``problems``) or one key per invalid field, each
    with a list of messages (``non_field_errors`` for the request as a whole)."""

    detail = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    issues = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="An invalid playbook: every problem, with its line, column, step and hint.",
    )
    problems = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Invalid launch parameters: every problem at once.",
    )


NO_NUL_PATTERN = "^[^\\u0000]*$"
NO_NUL_KEYS = {"pattern", "format", "oneOf", "enum"}


def _error(description: str, serializer=ErrorSerializer) -> OpenApiResponse:
    return OpenApiResponse(response=serializer, description=description)


ERRORS = {
    400: _error(
        "Invalid request: `{field: [messages]}` per field, or `detail` with the reason.",
        ValidationErrorSerializer,
    ),
    401: _error("Wrong credentials, or a token that is invalid, expired or revoked."),
    403: _error("Not signed in, or your role may not do this."),
    404: _error("Not found, or it belongs to a team you are not in."),
    409: _error("The object's state does not allow this now."),
    413: _error("The body is larger than the portal accepts (`limit_bytes`)."),
    415: _error("The body is not JSON (the Content-Type the operation accepts)."),
    422: _error("The Idempotency-Key was used for a different launch (`fields` differ)."),
    429: _error("Too many tries: wait the seconds the Retry-After header gives."),
}


def errors(*codes: int) -> dict:
    """``extend_schema(responses=…)`` entries for the 4xx answers an operation adds."""
    return {code: ERRORS[code] for code in codes}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with each operation's common error answers added."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in sorted(self._common_errors(operation)):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ERRORS[code], str(code))
        return operation

    def _insert_field_validators(self, field, schema) -> None:
        """Text fields refuse the NUL character (DRF's validator): the schema says so."""
        super()._insert_field_validators(field, schema)
        refuses_nul = any(
            isinstance(validator, ProhibitNullCharactersValidator) for validator in field.validators
        )
        if refuses_nul and schema.get("type") == "string" and not schema.keys() & NO_NUL_KEYS:
            schema["pattern"] = NO_NUL_PATTERN

    def _common_errors(self, operation: dict) -> set[int]:
        codes = set()
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.add(403)
        locations = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        if any(where == "path" for where, _ in locations) or ("query", "page") in locations:
            codes.add(404)
        if "requestBody" in operation:
            codes.update({400, 413, 415})
        if any(where in ("query", "header") and name != "page" for where, name in locations):
            codes.add(400)
        return codes
