"""API: gateway targets, CRUD plus a status ping."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import JsonBodySerializer, TextLineField
from apps.core.schema import errors
from apps.credentials.access import team_for_write
from apps.credentials.api import ProbeOutputSerializer
from apps.credentials.selectors import credential_get_for_user
from apps.gateways.models import Gateway, GatewayVersion
from apps.gateways.selectors import gateway_list_for_user
from apps.gateways.services import gateway_create, gateway_delete, gateway_ping, gateway_update


class GatewayOutputSerializer(serializers.ModelSerializer):
    default_credential_name = serializers.CharField(
        source="default_credential.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Gateway
        fields = [
            "id",
            "team",
            "name",
            "base_url",
            "version",
            "default_credential",
            "default_credential_name",
            "tags",
            "allow_concurrent_runs",
            "description",
            "created_at",
            "updated_at",
        ]


class GatewayInputSerializer(JsonBodySerializer):
    team = serializers.IntegerField(required=False)
    name = TextLineField(max_length=100)
    base_url = serializers.CharField(max_length=500)
    version = serializers.ChoiceField(choices=GatewayVersion.choices, default="8.3")
    default_credential = serializers.IntegerField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )
    allow_concurrent_runs = serializers.BooleanField(default=False)
    description = serializers.CharField(required=False, allow_blank=True)


class GatewayViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Gateway targets of your teams."""

    serializer_class = GatewayOutputSerializer
    queryset = Gateway.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        return gateway_list_for_user(self.request.user)

    @extend_schema(
        request=GatewayInputSerializer, responses={201: GatewayOutputSerializer, **errors(404, 409)}
    )
    def create(self, request):
        data = self._validated(request.data, partial=False)
        team = team_for_write(request.user, data.pop("team", None))
        gateway = gateway_create(team=team, actor=request.user, **data)
        return Response(GatewayOutputSerializer(gateway).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GatewayInputSerializer, responses={200: GatewayOutputSerializer, **errors(404, 409)}
    )
    def partial_update(self, request, pk=None):
        data = self._validated(request.data, partial=True)
        data.pop("team", None)
        gateway = gateway_update(self.get_object(), actor=request.user, **data)
        return Response(GatewayOutputSerializer(gateway).data)

    def perform_destroy(self, instance):
        gateway_delete(instance, actor=self.request.user)

    @extend_schema(request=None, responses=ProbeOutputSerializer)
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        result = gateway_ping(self.get_object())
        return Response(ProbeOutputSerializer(result.as_dict()).data)

    def _validated(self, data, *, partial: bool) -> dict:
        serializer = GatewayInputSerializer(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if values.get("default_credential") is not None:
            values["default_credential"] = credential_get_for_user(
                self.request.user, values["default_credential"]
            )
        return values
