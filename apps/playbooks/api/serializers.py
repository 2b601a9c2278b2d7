"""Input and output serializers of the playbook API."""

from rest_framework import serializers

from apps.core.api import JsonBodySerializer, TextLineField
from apps.playbooks.models import Playbook, PlaybookOrigin, PlaybookVersion, Preset
from apps.playbooks.services import DOMAINS
from apps.playbooks.services.exports import EXPORT_FORMATS

MAX_YAML_CHARACTERS = 1_000_000


class PlaybookOutputSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(
        source="current_version.revision", default=None, allow_null=True
    )
    verified_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    is_builtin = serializers.BooleanField(read_only=True)

    class Meta:
        model = Playbook
        fields = [
            "id",
            "team",
            "path",
            "name",
            "version",
            "revision",
            "domain",
            "group",
            "description",
            "enabled",
            "verified",
            "verified_by",
            "verified_at",
            "origin",
            "is_builtin",
            "duplicated_from",
            "created_at",
            "updated_at",
        ]


class PlaybookDetailOutputSerializer(PlaybookOutputSerializer):
    yaml_text = serializers.CharField(source="current_version.yaml_text", default="")
    parameters = serializers.JSONField(source="current_version.parameters", default=list)

    class Meta(PlaybookOutputSerializer.Meta):
        fields = [*PlaybookOutputSerializer.Meta.fields, "yaml_text", "parameters"]


class PresetFilterSerializer(serializers.Serializer):
    playbook = serializers.IntegerField(required=False, min_value=1, help_text="playbook id")


class PlaybookFilterSerializer(serializers.Serializer):
    """Exact matches (an empty ``group`` finds playbooks without one); ``search`` contains."""

    domain = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    group = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    origin = serializers.ChoiceField(choices=PlaybookOrigin.choices, required=False)
    enabled = serializers.BooleanField(required=False)
    verified = serializers.BooleanField(required=False)
    team = serializers.IntegerField(required=False)
    search = serializers.CharField(required=False, allow_blank=True)


class PlaybookCreateInputSerializer(JsonBodySerializer):
    team = serializers.IntegerField(required=False)
    name = TextLineField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    domain = serializers.ChoiceField(choices=DOMAINS, default="gateway")


class PlaybookImportOptionsSerializer(JsonBodySerializer):
    team = serializers.IntegerField(required=False)
    filename = serializers.CharField(required=False, allow_blank=True, max_length=255)
    lenient = serializers.BooleanField(default=False)


class PlaybookImportContentSerializer(PlaybookImportOptionsSerializer):
    """A JSON body: the playbook YAML or export JSON as ``content``."""

    content = serializers.CharField(max_length=MAX_YAML_CHARACTERS, trim_whitespace=False)


class PlaybookImportFileSerializer(PlaybookImportOptionsSerializer):
    """A multipart body: the playbook YAML or export JSON as the ``file`` part."""

    file = serializers.FileField()


class PlaybookImportInputSerializer(PlaybookImportOptionsSerializer):
    file = serializers.FileField(required=False)
    content = serializers.CharField(
        required=False, max_length=MAX_YAML_CHARACTERS, trim_whitespace=False
    )

    def validate(self, attrs):
        upload = attrs.pop("file", None)
        if upload is not None:
            if upload.size > MAX_YAML_CHARACTERS:
                raise serializers.ValidationError({"file": "The file is larger than 1 MB."})
            try:
                attrs["content"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise serializers.ValidationError({"file": "The file is not UTF-8 text."}) from None
            attrs.setdefault("filename", upload.name)
        if "content" not in attrs:
            raise serializers.ValidationError("Send a 'file' upload or the 'content' text.")
        return attrs


class ImportWarningSerializer(serializers.Serializer):
    message = serializers.CharField()
    file = serializers.CharField(allow_null=True)
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)
    step_id = serializers.CharField(allow_null=True)
    key = serializers.CharField(allow_null=True)
    hint = serializers.CharField(allow_null=True)
    severity = serializers.CharField()


class PlaybookImportOutputSerializer(serializers.Serializer):
    playbook = PlaybookOutputSerializer()
    warnings = ImportWarningSerializer(many=True)


class PlaybookUpdateInputSerializer(JsonBodySerializer):
    yaml_text = serializers.CharField(max_length=MAX_YAML_CHARACTERS, trim_whitespace=False)
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    base_revision = serializers.IntegerField(required=False, min_value=1)


class PlaybookStepInputSerializer(JsonBodySerializer):
    step = serializers.DictField()
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    base_revision = serializers.IntegerField(required=False, min_value=1)


class PlaybookExportInputSerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=EXPORT_FORMATS, default="yaml")
    revision = serializers.IntegerField(required=False, min_value=1)


class PlaybookDuplicateInputSerializer(JsonBodySerializer):
    name = TextLineField(required=False, allow_blank=True, max_length=200, default="")


class PlaybookRestoreInputSerializer(JsonBodySerializer):
    revision = serializers.IntegerField(min_value=1)
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PlaybookDiffInputSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField(min_value=1)
    to_revision = serializers.IntegerField(required=False, min_value=1)


class PlaybookDiffOutputSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    diff = serializers.CharField(allow_blank=True)


class VerifyInputSerializer(JsonBodySerializer):
    verified = serializers.BooleanField()


class EnableInputSerializer(JsonBodySerializer):
    enabled = serializers.BooleanField()


class PlaybookVersionOutputSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = PlaybookVersion
        fields = ["revision", "sha256", "author", "change_note", "created_at"]


class PresetOutputSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Preset
        fields = ["id", "playbook", "name", "values", "owner", "shared", "created_at", "updated_at"]


class PresetCreateInputSerializer(JsonBodySerializer):
    playbook = serializers.IntegerField()
    name = TextLineField(max_length=100)
    values = serializers.DictField(default=dict)
    shared = serializers.BooleanField(default=False)


class PresetUpdateInputSerializer(JsonBodySerializer):
    name = TextLineField(max_length=100, required=False)
    values = serializers.DictField(required=False)
    shared = serializers.BooleanField(required=False)


class PlaybookExportMetadataSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    verified = serializers.BooleanField()
    verified_at = serializers.DateTimeField(allow_null=True)
    verified_by = serializers.CharField(allow_null=True)
    origin = serializers.ChoiceField(choices=PlaybookOrigin.choices)
    created_at = serializers.DateTimeField()
    exported_at = serializers.DateTimeField()
    credentials_stripped = serializers.BooleanField()
    exported_by = serializers.CharField()


class PlaybookExportOutputSerializer(serializers.Serializer):
    """``?file_format=json``: the playbook's YAML in ``yaml_content``, credential parameter
    defaults removed."""

    name = serializers.CharField()
    path = serializers.CharField()
    version = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    domain = serializers.CharField()
    yaml_content = serializers.CharField()
    metadata = PlaybookExportMetadataSerializer()
