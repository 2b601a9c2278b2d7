"""What the API views share."""

from rest_framework import serializers


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    """``data`` checked by ``serializer_class``: its validated values, else a 400 per field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
