"""API: import a set of playbooks (several files or zips) under a namespace."""

from rest_framework import serializers, status
from rest_framework.response import Response

from apps.core.api import validated
from apps.credentials.access import team_for_write
from apps.playbooks.api.serializers import ImportWarningSerializer
from apps.playbooks.forms_import import MAX_SET_BYTES
from apps.playbooks.services.imports import playbook_import_set
from apps.playbooks.services.sets import files_from_uploads, set_name_of


class SetImportInputSerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False)
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)
    namespace = serializers.CharField(required=False, allow_blank=True, max_length=200)
    set_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    lenient = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False)

    def validate_files(self, uploads):
        if sum(upload.size for upload in uploads) > MAX_SET_BYTES:
            raise serializers.ValidationError("The files are larger than 20 MB together.")
        return [(upload.name, upload.read()) for upload in uploads]


class SetFileOutputSerializer(serializers.Serializer):
    file = serializers.CharField()
    path = serializers.CharField()
    result = serializers.ChoiceField(choices=("imported", "valid", "error"))
    playbook_id = serializers.IntegerField(source="playbook.pk", allow_null=True, default=None)
    warnings = ImportWarningSerializer(many=True)
    errors = ImportWarningSerializer(many=True)
    diff = serializers.CharField(
        help_text="Unified diff from the file as sent to what is saved; empty when unchanged."
    )


class SetImportOutputSerializer(serializers.Serializer):
    namespace = serializers.CharField()
    ok = serializers.BooleanField()
    files = SetFileOutputSerializer(many=True)


def import_set_response(request) -> Response:
    """Validate every file; import the valid ones unless ``dry_run`` (201 when all imported,
    200 for a clean dry run, 422 when a file failed)."""
    data = validated(SetImportInputSerializer, request.data)
    team = team_for_write(request.user, data.get("team"))
    result = playbook_import_set(
        team=team,
        actor=request.user,
        files=files_from_uploads(data["files"]),
        set_name=data.get("set_name") or set_name_of([name for name, _ in data["files"]]),
        namespace=data.get("namespace") or None,
        lenient=data["lenient"],
        dry_run=data["dry_run"],
    )
    code = status.HTTP_200_OK if data["dry_run"] else status.HTTP_201_CREATED
    if not result.ok:
        code = status.HTTP_422_UNPROCESSABLE_ENTITY
    return Response(SetImportOutputSerializer(result).data, status=code)
