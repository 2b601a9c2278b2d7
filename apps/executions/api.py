"""API: launch runs, read them (steps, events for gap filling) and control them."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import JsonBodySerializer, validated
from apps.core.schema import errors
from apps.core.throttles import RateExceeded
from apps.executions import selectors
from apps.executions.events import event_message
from apps.executions.launch_rate import LaunchRateThrottle, launch_rate_message
from apps.executions.models import Execution, ExecutionStatus, StepRun
from apps.executions.services import control
from apps.executions.services.history import execution_delete
from apps.executions.services.launch import execution_start
from apps.executions.services.launch_keys import (
    KEY_HEADER,
    KEY_MAX_LENGTH,
    execution_start_once,
    launch_fingerprint,
    launch_key_check,
)
from apps.gateways.selectors import gateway_get_for_user
from apps.playbooks.selectors import playbook_get_for_user


class StepRunOutputSerializer(serializers.ModelSerializer):
    parent_path = serializers.CharField(
        source="parent.path", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = StepRun
        fields = [
            "path",
            "parent_path",
            "step_id",
            "name",
            "type",
            "status",
            "attempts",
            "outputs",
            "error",
            "started_at",
            "finished_at",
            "duration_seconds",
        ]


class ExecutionOutputSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(
        source="requested_by.username", default=None, allow_null=True
    )
    gateway = serializers.CharField(source="gateway.name", default=None, allow_null=True)
    current_step = serializers.CharField(
        default="",
        read_only=True,
        help_text="The name (else the id) of the top-level step running now; empty between steps.",
    )

    class Meta:
        model = Execution
        fields = [
            "id",
            "playbook",
            "playbook_name",
            "playbook_version",
            "status",
            "status_reason",
            "parameters",
            "gateway",
            "debug",
            "requested_by",
            "queued_at",
            "started_at",
            "finished_at",
            "current_step",
            "variables",
            "last_seq",
            "batch",
        ]


class ExecutionDetailSerializer(ExecutionOutputSerializer):
    steps = StepRunOutputSerializer(many=True, source="ordered_steps")
    queue_position = serializers.IntegerField(allow_null=True)

    class Meta(ExecutionOutputSerializer.Meta):
        fields = [*ExecutionOutputSerializer.Meta.fields, "steps", "queue_position"]


LAUNCH_KEY_PARAMETER = OpenApiParameter(
    KEY_HEADER,
    {"type": "string", "pattern": f"^[\\u0020-\\u007e]{{1,{KEY_MAX_LENGTH}}}$"},
    OpenApiParameter.HEADER,
    description=(
        f"Up to {KEY_MAX_LENGTH} printable ASCII characters, unique per launch (a UUID). "
        "A repeat by the same user within 24 h answers 201 with the first run (header "
        "Idempotent-Replayed: true) and starts nothing; with a different body, 422."
    ),
)


class ExecutionStartInputSerializer(JsonBodySerializer):
    playbook = serializers.IntegerField()
    parameters = serializers.DictField(required=False, default=dict)
    gateway = serializers.IntegerField(required=False, allow_null=True, default=None)
    debug = serializers.BooleanField(required=False, default=False)
    timeout_seconds = serializers.IntegerField(
        required=False, min_value=1, allow_null=True, default=None
    )


class ExecutionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ExecutionStatus.choices, required=False)
    playbook = serializers.IntegerField(required=False, min_value=1, help_text="playbook id")
    gateway = serializers.IntegerField(required=False, min_value=1, help_text="gateway id")
    requested_by = serializers.IntegerField(required=False, min_value=1, help_text="user id")


class EventOutputSerializer(serializers.Serializer):
    """A stored event, as the run's websocket sends it ([events.md](events.md))."""

    execution_id = serializers.UUIDField()
    seq = serializers.IntegerField()
    type = serializers.CharField()
    payload = serializers.DictField()
    created_at = serializers.DateTimeField()


class EventsInputSerializer(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, default=0)


class DebugInputSerializer(JsonBodySerializer):
    enabled = serializers.BooleanField(default=True)


class CommandInputSerializer(JsonBodySerializer):
    command = serializers.RegexField(r"^[a-z]+\.[a-z_]+$")
    x = serializers.IntegerField(required=False, min_value=0)
    y = serializers.IntegerField(required=False, min_value=0)


# The run controls take no body and answer with the run; 409 when it already ended.
CONTROL_SCHEMA = extend_schema(
    request=None, responses={200: ExecutionOutputSerializer, **errors(409)}
)


class ExecutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Runs of the user's teams. Controls answer 409 when the run already ended."""

    serializer_class = ExecutionOutputSerializer
    queryset = Execution.objects.none()

    def get_queryset(self):
        filters = validated(ExecutionFilterSerializer, self.request.query_params.dict())
        return selectors.execution_list_for_user(self.request.user, filters=filters)

    @extend_schema(parameters=[ExecutionFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self) -> Execution:
        return selectors.execution_get_for_user(self.request.user, self.kwargs["pk"])

    def get_throttles(self):
        """Launching counts against the user's LAUNCH_RATE_LIMIT, shared with the pages."""
        return [LaunchRateThrottle()] if self.action == "create" else super().get_throttles()

    def throttled(self, request, wait):
        raise RateExceeded(launch_rate_message(wait), wait)

    @extend_schema(responses=ExecutionDetailSerializer)
    def retrieve(self, request, pk=None):
        execution = self.get_object()
        execution.ordered_steps = selectors.execution_steps(execution).select_related("parent")
        execution.queue_position = selectors.execution_queue_position(execution)
        return Response(ExecutionDetailSerializer(execution).data)

    @extend_schema(
        request=ExecutionStartInputSerializer,
        parameters=[LAUNCH_KEY_PARAMETER],
        responses={201: ExecutionOutputSerializer, **errors(404, 409, 422, 429)},
    )
    def create(self, request):
        key = request.headers.get(KEY_HEADER)
        if key is not None:
            launch_key_check(key)
        data = validated(ExecutionStartInputSerializer, request.data)
        fingerprint = launch_fingerprint(data)
        playbook = playbook_get_for_user(request.user, data.pop("playbook"))
        gateway_id = data.pop("gateway")
        gateway = gateway_get_for_user(request.user, gateway_id) if gateway_id else None

        def start() -> Execution:
            return execution_start(playbook, actor=request.user, gateway=gateway, **data)

        if key is None:
            execution, created = start(), True
        else:
            execution, created = execution_start_once(
                request.user, key=key, fingerprint=fingerprint, start=start
            )
        headers = {} if created else {"Idempotent-Replayed": "true"}
        body = ExecutionOutputSerializer(execution).data
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted, with its stored files."),
            **errors(409),
        },
    )
    def destroy(self, request, pk=None):
        """Delete a finished run, its events and its files in the artifact store (operators).
        A run still queued, running or paused answers 409: cancel it first."""
        execution_delete([self.get_object()], actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[EventsInputSerializer],
        responses=EventOutputSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        """Stored events after ``?after=<seq>`` (for filling a gap in the live stream)."""
        after = validated(EventsInputSerializer, request.query_params.dict())["after"]
        events = selectors.execution_events_since(self.get_object(), after)[:1000]
        return Response([event_message(event) for event in events])

    @CONTROL_SCHEMA
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._control(control.execution_cancel)

    @CONTROL_SCHEMA
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._control(control.execution_pause)

    @CONTROL_SCHEMA
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._control(control.execution_resume)

    @CONTROL_SCHEMA
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        return self._control(control.execution_skip)

    @CONTROL_SCHEMA
    @action(detail=True, methods=["post"], url_path="skip-back")
    def skip_back(self, request, pk=None):
        return self._control(control.execution_skip, back=True)

    @extend_schema(
        request=DebugInputSerializer, responses={200: ExecutionOutputSerializer, **errors(409)}
    )
    @action(detail=True, methods=["post"])
    def debug(self, request, pk=None):
        enabled = validated(DebugInputSerializer, request.data)["enabled"]
        return self._control(control.execution_set_debug, enabled=enabled)

    @extend_schema(
        request=CommandInputSerializer, responses={200: ExecutionOutputSerializer, **errors(409)}
    )
    @action(detail=True, methods=["post"])
    def command(self, request, pk=None):
        command = validated(CommandInputSerializer, request.data)
        return self._control(control.execution_command, **command)

    def _control(self, service, **kwargs) -> Response:
        execution = service(self.get_object(), actor=self.request.user, **kwargs)
        return Response(ExecutionOutputSerializer(execution).data)
