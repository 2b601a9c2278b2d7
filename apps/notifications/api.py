"""API: notification destinations (email, webhooks) and rules. Hook secrets are write-only."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import JsonBodySerializer, TextLineField, validated
from apps.core.schema import errors
from apps.credentials.access import team_for_write
from apps.credentials.models import SECRET_PLACEHOLDER
from apps.gateways.selectors import gateway_get_for_user
from apps.notifications.delivery import destination_send_test
from apps.notifications.models import Channel, Delivery, Destination, Preset, Rule, Scope, Trigger
from apps.notifications.selectors import (
    delivery_log,
    destination_get_for_user,
    destination_list_for_user,
    rule_list_for_user,
)
from apps.notifications.services import (
    destination_create,
    destination_delete,
    destination_update,
    rule_create,
    rule_delete,
    rule_update,
)
from apps.playbooks.selectors import playbook_get_for_user
from apps.schedules.selectors import schedule_get_for_user


class DestinationOutputSerializer(serializers.ModelSerializer):
    secret = serializers.SerializerMethodField()

    class Meta:
        model = Destination
        fields = ["id", "team", "name", "channel", "recipients", "url", "preset", "secret"]
        fields += ["created_at", "updated_at"]

    @extend_schema_field(serializers.CharField(help_text="$encrypted$ for a webhook, else empty."))
    def get_secret(self, destination: Destination) -> str:
        return SECRET_PLACEHOLDER if destination.secret else ""


class DestinationInputSerializer(JsonBodySerializer):
    team = serializers.IntegerField(required=False, help_text="Needed when you are in several.")
    name = TextLineField(max_length=100)
    channel = serializers.ChoiceField(choices=Channel.choices)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=20
    )
    url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    secret = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        write_only=True,
        help_text="Signs each webhook body; write-only. Empty or $encrypted$ keeps it.",
    )
    preset = serializers.ChoiceField(choices=Preset.choices, required=False)


class DeliveryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "created_at", "channel", "test", "attempt", "outcome", "status_code"]
        fields += ["error", "duration_ms", "rule", "execution"]


class RuleOutputSerializer(serializers.ModelSerializer):
    destinations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Rule
        fields = ["id", "team", "name", "trigger", "scope", "playbook", "schedule", "gateway"]
        fields += ["gateway_tag", "destinations", "enabled", "created_at", "updated_at"]


class RuleInputSerializer(JsonBodySerializer):
    team = serializers.IntegerField(required=False, help_text="Needed when you are in several.")
    name = TextLineField(max_length=100)
    trigger = serializers.ChoiceField(choices=Trigger.choices, required=False)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    playbook = serializers.IntegerField(required=False, allow_null=True)
    schedule = serializers.IntegerField(required=False, allow_null=True)
    gateway = serializers.IntegerField(required=False, allow_null=True)
    gateway_tag = serializers.CharField(max_length=100, required=False, allow_blank=True)
    destinations = serializers.ListField(
        child=serializers.IntegerField(), max_length=50, required=False
    )
    enabled = serializers.BooleanField(required=False)


class DestinationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Where your teams' notifications go: email addresses or a signed webhook (editors)."""

    serializer_class = DestinationOutputSerializer
    queryset = Destination.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        return destination_list_for_user(self.request.user)

    @extend_schema(
        request=DestinationInputSerializer,
        responses={201: DestinationOutputSerializer, **errors(404)},
    )
    def create(self, request):
        data = validated(DestinationInputSerializer, request.data)
        team = team_for_write(request.user, data.pop("team", None))
        destination = destination_create(team=team, actor=request.user, **data)
        return Response(DestinationOutputSerializer(destination).data, status=201)

    @extend_schema(request=DestinationInputSerializer(partial=True))
    def partial_update(self, request, pk=None):
        destination = self.get_object()
        serializer = DestinationInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("team", None)
        destination = destination_update(destination, actor=request.user, **data)
        return Response(DestinationOutputSerializer(destination).data)

    def perform_destroy(self, instance):
        destination_delete(instance, actor=self.request.user)

    @extend_schema(request=None, responses=DeliveryOutputSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Send a test message now and answer with the logged attempt."""
        delivery = destination_send_test(self.get_object(), actor=request.user)
        return Response(DeliveryOutputSerializer(delivery).data)

    @extend_schema(responses=DeliveryOutputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def deliveries(self, request, pk=None):
        """The latest delivery attempts (at most 50), newest first."""
        return Response(DeliveryOutputSerializer(delivery_log(self.get_object()), many=True).data)


class RuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """When to notify: a trigger (failure, success, any end) and a scope, to destinations."""

    serializer_class = RuleOutputSerializer
    queryset = Rule.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        return rule_list_for_user(self.request.user)

    @extend_schema(
        request=RuleInputSerializer, responses={201: RuleOutputSerializer, **errors(404)}
    )
    def create(self, request):
        data = self._validated(request.data, partial=False)
        team = team_for_write(request.user, data.pop("team", None))
        rule = rule_create(
            team=team, actor=request.user, destinations=data.pop("destinations", []), **data
        )
        return Response(RuleOutputSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RuleInputSerializer(partial=True),
        responses={200: RuleOutputSerializer, **errors(404)},
    )
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        data = self._validated(request.data, partial=True)
        data.pop("team", None)
        rule = rule_update(rule, actor=request.user, **data)
        return Response(RuleOutputSerializer(rule).data)

    def perform_destroy(self, instance):
        rule_delete(instance, actor=self.request.user)

    def _validated(self, data, *, partial: bool) -> dict:
        """Input checked for types; ids become objects you may see (else a 404)."""
        serializer = RuleInputSerializer(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        user = self.request.user
        lookups = {
            "playbook": playbook_get_for_user,
            "schedule": schedule_get_for_user,
            "gateway": gateway_get_for_user,
        }
        for field, lookup in lookups.items():
            if values.get(field) is not None:
                values[field] = lookup(user, values[field])
        if "destinations" in values:
            values["destinations"] = [
                destination_get_for_user(user, pk) for pk in dict.fromkeys(values["destinations"])
            ]
        return values
