"""API: the files library. Upload is a multipart body; download answers the file's bytes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.core.api import validated
from apps.core.schema import errors
from apps.credentials.access import team_for_write
from apps.files.models import FileVersion, LibraryFile
from apps.files.selectors import file_list_for_user, version_get
from apps.files.services import file_delete, file_upload
from apps.files.views import file_response


class VersionOutputSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = FileVersion
        fields = ["number", "size", "sha256", "uploaded_by", "uploaded_at"]


class FileOutputSerializer(serializers.ModelSerializer):
    latest = serializers.SerializerMethodField(help_text="The version runs use by default.")
    version_count = serializers.IntegerField(source="versions.count", read_only=True)

    class Meta:
        model = LibraryFile
        fields = [
            "id",
            "team",
            "name",
            "description",
            "latest",
            "version_count",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(VersionOutputSerializer(allow_null=True))
    def get_latest(self, obj):
        latest = obj.latest
        return VersionOutputSerializer(latest).data if latest is not None else None


class FileDetailOutputSerializer(FileOutputSerializer):
    versions = VersionOutputSerializer(many=True, read_only=True)

    class Meta(FileOutputSerializer.Meta):
        fields = [*FileOutputSerializer.Meta.fields, "versions"]


class UploadOutputSerializer(serializers.Serializer):
    file = FileOutputSerializer()
    version = VersionOutputSerializer(source="*")


class FileUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The file's bytes.")
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The library name; the uploaded file's own name when empty. An existing "
        "name gets a new version.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    team = serializers.IntegerField(required=False, help_text="Needed when you have several.")


class DownloadInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="A version number; the latest when left out."
    )


class FileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The files library of your teams: modules, backups, project zips and other run inputs."""

    serializer_class = FileOutputSerializer
    parser_classes = [MultiPartParser]  # the only body is an upload's
    queryset = LibraryFile.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        return file_list_for_user(self.request.user)

    def get_serializer_class(self):
        return FileDetailOutputSerializer if self.action == "retrieve" else FileOutputSerializer

    @extend_schema(
        request={"multipart/form-data": FileUploadInputSerializer},
        responses={201: UploadOutputSerializer, **errors(404)},
    )
    def create(self, request):
        """Upload a file: a new library file, or the next version of an existing name."""
        data = validated(FileUploadInputSerializer, request.data)
        team = team_for_write(request.user, data.pop("team", None))
        version = file_upload(team=team, actor=request.user, upload=data.pop("file"), **data)
        return Response(UploadOutputSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **errors(409)})
    def destroy(self, request, *args, **kwargs):
        """Delete the file and all its versions (409 while a schedule's parameters name it)."""
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        file_delete(instance, actor=self.request.user)

    @extend_schema(
        parameters=[DownloadInputSerializer],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The version's bytes, as uploaded."
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        data = validated(DownloadInputSerializer, request.query_params.dict())
        return file_response(version_get(self.get_object(), data.get("version")))
