"""API of batches: launch one playbook on several gateways, read a batch's summary (one row
per gateway), cancel it, retry its failed gateways. Its reports are in ``apps/reports``."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import JsonBodySerializer, TextLineField, validated
from apps.core.errors import ApplicationError
from apps.core.schema import errors
from apps.core.throttles import RateExceeded
from apps.executions import batch_selectors as selectors
from apps.executions.launch_rate import LaunchRateThrottle, launch_rate_message
from apps.executions.models import Batch, BatchPolicy
from apps.executions.services.batches import batch_cancel, batch_retry_failed, batch_start
from apps.playbooks.selectors import playbook_get_for_user


class BatchRowSerializer(serializers.Serializer):
    """A gateway of the batch and its last run."""

    gateway = serializers.CharField()
    execution = serializers.UUIDField(source="run.pk")
    status = serializers.CharField(source="run.status")
    status_reason = serializers.CharField(source="run.status_reason")
    current_step = serializers.CharField(help_text="The step running now, if any.")
    queued_at = serializers.DateTimeField(source="run.queued_at")
    started_at = serializers.DateTimeField(source="run.started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="run.finished_at", allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)
    attempts = serializers.IntegerField(help_text="Runs of this gateway in the batch (retries).")
    url = serializers.CharField(source="run.get_absolute_url", help_text="The run's page.")


class BatchOutputSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(
        source="requested_by.username", default=None, allow_null=True
    )
    url = serializers.CharField(source="get_absolute_url", help_text="The batch's page.")

    class Meta:
        model = Batch
        fields = [
            "id",
            "playbook",
            "playbook_name",
            "gateway_tag",
            "concurrency",
            "policy",
            "cancel_running_on_stop",
            "status",
            "status_reason",
            "requested_by",
            "created_at",
            "finished_at",
            "url",
        ]


class BatchDetailSerializer(BatchOutputSerializer):
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Gateways by the status of their last run."
    )
    runs = BatchRowSerializer(many=True, source="rows")

    class Meta(BatchOutputSerializer.Meta):
        fields = [*BatchOutputSerializer.Meta.fields, "counts", "runs"]


class BatchStartInputSerializer(JsonBodySerializer):
    playbook = serializers.IntegerField()
    gateways = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_empty=False,
        help_text="Gateway ids; give these or gateway_tag.",
    )
    gateway_tag = TextLineField(
        required=False, max_length=100, help_text="Every gateway of the team with this tag."
    )
    parameters = serializers.DictField(required=False, default=dict)
    concurrency = serializers.IntegerField(
        required=False, min_value=1, allow_null=True, default=None
    )
    policy = serializers.ChoiceField(
        choices=BatchPolicy.choices, required=False, default=BatchPolicy.CONTINUE
    )
    cancel_running_on_stop = serializers.BooleanField(required=False, default=False)
    debug = serializers.BooleanField(required=False, default=False)
    timeout_seconds = serializers.IntegerField(
        required=False, min_value=1, allow_null=True, default=None
    )


def batch_with_rows(batch: Batch) -> Batch:
    batch.rows = selectors.batch_rows(batch)
    batch.counts = selectors.batch_counts(batch.rows)
    return batch


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Batches of the user's teams. Controls answer 409 when the batch's state forbids them."""

    serializer_class = BatchOutputSerializer
    queryset = Batch.objects.none()

    def get_queryset(self):
        return selectors.batch_list_for_user(self.request.user)

    def get_object(self) -> Batch:
        return selectors.batch_get_for_user(self.request.user, self.kwargs["pk"])

    def get_throttles(self):
        """A batch launch counts once against the user's LAUNCH_RATE_LIMIT."""
        return [LaunchRateThrottle()] if self.action == "create" else super().get_throttles()

    def throttled(self, request, wait):
        raise RateExceeded(launch_rate_message(wait), wait)

    @extend_schema(responses=BatchDetailSerializer)
    def retrieve(self, request, pk=None):
        """The batch's summary: one row per gateway with its last run."""
        return Response(BatchDetailSerializer(batch_with_rows(self.get_object())).data)

    @extend_schema(
        request=BatchStartInputSerializer,
        responses={201: BatchDetailSerializer, **errors(404, 429)},
    )
    def create(self, request):
        """Launch the playbook on the gateways given (ids) or on every gateway of its team with
        ``gateway_tag``: one run per gateway, all or none (404 naming the gateways you cannot
        see, 400 for an empty tag or invalid parameters)."""
        data = validated(BatchStartInputSerializer, request.data)
        ids, tag = data.pop("gateways", None), data.pop("gateway_tag", "")
        if (ids is None) == (not tag):
            raise ApplicationError("Give either gateways (ids) or gateway_tag, not both.")
        playbook = playbook_get_for_user(request.user, data.pop("playbook"))
        if tag:
            gateways = selectors.batch_gateways_tagged(request.user, playbook.team, tag)
        else:
            gateways = selectors.batch_gateways_by_id(request.user, ids)
        batch = batch_start(
            playbook, actor=request.user, gateways=gateways, gateway_tag=tag, **data
        )
        body = BatchDetailSerializer(batch_with_rows(batch)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BatchDetailSerializer, **errors(409)})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel every run not yet ended; start no more."""
        batch = batch_cancel(self.get_object(), actor=request.user)
        return Response(BatchDetailSerializer(batch_with_rows(batch)).data)

    @extend_schema(request=None, responses={200: BatchDetailSerializer, **errors(409)})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """New runs, in this batch, for the gateways whose last run failed, ended in error or
        was cancelled; 409 while the batch runs or when there is none."""
        batch = batch_retry_failed(self.get_object(), actor=request.user)
        return Response(BatchDetailSerializer(batch_with_rows(batch)).data)
