"""API: schedules, CRUD plus an on/off toggle."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import JsonBodySerializer, TextLineField
from apps.core.schema import errors
from apps.gateways.selectors import gateway_get_for_user
from apps.playbooks.selectors import playbook_get_for_user
from apps.schedules.models import Schedule, ScheduleKind
from apps.schedules.selectors import (
    schedule_describe,
    schedule_list_for_user,
    schedule_next_run_at,
)
from apps.schedules.services import (
    schedule_create,
    schedule_delete,
    schedule_set_enabled,
    schedule_update,
)
from apps.schedules.timing import WEEKDAYS


class ScheduleOutputSerializer(serializers.ModelSerializer):
    playbook_name = serializers.CharField(source="playbook.name", read_only=True)
    gateway_name = serializers.CharField(
        source="gateway.name", default=None, read_only=True, allow_null=True
    )
    created_by = serializers.CharField(
        source="created_by.username", default=None, read_only=True, allow_null=True
    )
    time_of_day = serializers.TimeField(format="%H:%M", allow_null=True, read_only=True)
    description = serializers.SerializerMethodField()
    next_run_at = serializers.SerializerMethodField()
    last_execution_status = serializers.CharField(
        source="last_execution.status", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Schedule
        fields = [
            "id",
            "team",
            "name",
            "playbook",
            "playbook_name",
            "gateway",
            "gateway_name",
            "gateway_tag",
            "kind",
            "interval_minutes",
            "time_of_day",
            "days_of_week",
            "day_of_month",
            "cron_expression",
            "time_zone",
            "description",
            "next_run_at",
            "parameters",
            "enabled",
            "skip_if_running",
            "created_by",
            "last_triggered_at",
            "last_run_at",
            "last_execution",
            "last_execution_status",
            "last_batch",
            "last_error",
            "last_skip_reason",
            "created_at",
            "updated_at",
        ]

    def get_description(self, schedule: Schedule) -> str:
        return schedule_describe(schedule)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_run_at(self, schedule: Schedule) -> str | None:
        """ISO 8601 with the schedule's own UTC offset; null when it will not run."""
        upcoming = schedule_next_run_at(schedule)
        return upcoming.isoformat() if upcoming else None


# The times ``TimeField`` reads with "%H:%M" or "%H:%M:%S" (strptime takes one-digit fields
# and seconds up to 61).
CLOCK_TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5]?[0-9](:([0-5]?[0-9]|6[01]))?$"


@extend_schema_field({"type": "string", "pattern": CLOCK_TIME_PATTERN, "example": "06:30"})
class ClockTimeField(serializers.TimeField):
    """A time of day written ``HH:MM`` (or ``HH:MM:SS``), in the schedule's time zone."""


class ScheduleInputSerializer(JsonBodySerializer):
    name = TextLineField(max_length=100)
    playbook = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ScheduleKind.choices)
    interval_minutes = serializers.IntegerField(required=False, allow_null=True)
    time_of_day = ClockTimeField(
        required=False, allow_null=True, input_formats=["%H:%M", "%H:%M:%S"]
    )
    days_of_week = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAYS), required=False, max_length=7
    )
    day_of_month = serializers.IntegerField(required=False, allow_null=True)
    cron_expression = serializers.CharField(required=False, allow_blank=True, max_length=200)
    time_zone = serializers.CharField(required=False, max_length=64)
    gateway = serializers.IntegerField(required=False, allow_null=True)
    gateway_tag = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Instead of gateway: each launch is a batch on every gateway with this tag.",
    )
    parameters = serializers.DictField(required=False)
    enabled = serializers.BooleanField(required=False, default=True)
    skip_if_running = serializers.BooleanField(required=False, default=True)


class ToggleInputSerializer(JsonBodySerializer):
    enabled = serializers.BooleanField(
        required=False, help_text="The state to set; without it the schedule flips."
    )


class ScheduleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Schedules of your teams: a playbook launched automatically at set times."""

    serializer_class = ScheduleOutputSerializer
    queryset = Schedule.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        return schedule_list_for_user(self.request.user)

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={201: ScheduleOutputSerializer, **errors(404)},
    )
    def create(self, request):
        data = self._validated(request.data, partial=False)
        schedule = schedule_create(actor=request.user, **data)
        return Response(ScheduleOutputSerializer(schedule).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={200: ScheduleOutputSerializer, **errors(404)},
    )
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={200: ScheduleOutputSerializer, **errors(404)},
    )
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def perform_destroy(self, instance):
        schedule_delete(instance, actor=self.request.user)

    @extend_schema(request=ToggleInputSerializer, responses=ScheduleOutputSerializer)
    @action(detail=True, methods=["post"])
    def toggle(self, request, pk=None):
        schedule = self.get_object()
        serializer = ToggleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enabled = serializer.validated_data.get("enabled", not schedule.enabled)
        schedule = schedule_set_enabled(schedule, actor=request.user, enabled=enabled)
        return Response(ScheduleOutputSerializer(schedule).data)

    def _update(self, request, *, partial: bool) -> Response:
        schedule = self.get_object()
        data = self._validated(request.data, partial=partial)
        schedule = schedule_update(schedule, actor=request.user, **data)
        return Response(ScheduleOutputSerializer(schedule).data)

    def _validated(self, data, *, partial: bool) -> dict:
        """Input checked for types; playbook and gateway ids become objects you may see."""
        serializer = ScheduleInputSerializer(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        user = self.request.user
        if "playbook" in values:
            values["playbook"] = playbook_get_for_user(user, values["playbook"])
        if values.get("gateway") is not None:
            values["gateway"] = gateway_get_for_user(user, values["gateway"])
        return values
