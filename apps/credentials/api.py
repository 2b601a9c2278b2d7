"""API: the credential vault. Secrets are write-only; reads show ``$encrypted$``."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import JsonBodySerializer, TextLineField, validated
from apps.core.schema import errors
from apps.credentials.access import team_for_write
from apps.credentials.models import SECRET_PLACEHOLDER, Credential, CredentialKind
from apps.credentials.selectors import credential_list_for_user
from apps.credentials.services import (
    credential_create,
    credential_delete,
    credential_test_connection,
    credential_update,
)


class CredentialOutputSerializer(serializers.ModelSerializer):
    secret = serializers.SerializerMethodField()
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Credential
        fields = [
            "id",
            "team",
            "name",
            "kind",
            "username",
            "secret",
            "gateway_url",
            "description",
            "owner",
            "shared",
            "created_at",
            "updated_at",
        ]

    def get_secret(self, obj) -> str:
        return SECRET_PLACEHOLDER


class CredentialCreateInputSerializer(JsonBodySerializer):
    team = serializers.IntegerField(required=False)
    name = TextLineField(max_length=100)
    kind = serializers.ChoiceField(choices=CredentialKind.choices, default="username_password")
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    secret = serializers.CharField(max_length=2000, trim_whitespace=False)
    gateway_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    shared = serializers.BooleanField(default=False)


class CredentialUpdateInputSerializer(JsonBodySerializer):
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    secret = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, trim_whitespace=False
    )
    gateway_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    shared = serializers.BooleanField(required=False)


class TestConnectionInputSerializer(JsonBodySerializer):
    gateway_url = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ProbeOutputSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()
    state = serializers.CharField()
    status_code = serializers.IntegerField(allow_null=True)
    elapsed_ms = serializers.IntegerField()
    details = serializers.DictField()


class CredentialViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Credentials of your teams: shared ones and your own. Secrets are never returned."""

    serializer_class = CredentialOutputSerializer
    queryset = Credential.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        return credential_list_for_user(self.request.user)

    @extend_schema(
        request=CredentialCreateInputSerializer,
        responses={201: CredentialOutputSerializer, **errors(404, 409)},
    )
    def create(self, request):
        data = validated(CredentialCreateInputSerializer, request.data)
        team = team_for_write(request.user, data.pop("team", None))
        credential = credential_create(team=team, actor=request.user, **data)
        return Response(CredentialOutputSerializer(credential).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CredentialUpdateInputSerializer, responses=CredentialOutputSerializer)
    def partial_update(self, request, pk=None):
        data = validated(CredentialUpdateInputSerializer, request.data)
        credential = credential_update(self.get_object(), actor=request.user, **data)
        return Response(CredentialOutputSerializer(credential).data)

    def perform_destroy(self, instance):
        credential_delete(instance, actor=self.request.user)

    @extend_schema(request=TestConnectionInputSerializer, responses=ProbeOutputSerializer)
    @action(detail=True, methods=["post"], url_path="test-connection")
    def test_connection(self, request, pk=None):
        data = validated(TestConnectionInputSerializer, request.data)
        result = credential_test_connection(self.get_object(), actor=request.user, **data)
        return Response(ProbeOutputSerializer(result.as_dict()).data)
