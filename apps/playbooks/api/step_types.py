"""API: the step-type catalogue that drives the editor's forms."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.steps.registry import all_step_types


class StepTypeListView(APIView):
    """Every step type with its parameter schema, and the families they belong to."""

    @extend_schema(
        responses=inline_serializer(
            "StepTypeCatalogue",
            {
                "step_types": serializers.ListField(child=serializers.DictField()),
                "families": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request):
        step_types = [step_type.as_dict() for step_type in all_step_types()]
        families = sorted({item["family"] for item in step_types})
        return Response({"step_types": step_types, "families": families})
