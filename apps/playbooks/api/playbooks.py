"""API: the playbook catalogue (list, read, create, import, export, edit, history, flags)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.core.api import validated
from apps.core.schema import errors
from apps.credentials.access import team_for_write
from apps.playbooks.api import import_sets as sets
from apps.playbooks.api import serializers as s
from apps.playbooks.models import Playbook
from apps.playbooks.selectors import (
    playbook_list_for_user,
    playbook_version_diff,
    playbook_version_list,
)
from apps.playbooks.services import (
    playbook_create_from_template,
    playbook_delete,
    playbook_duplicate,
    playbook_export,
    playbook_import,
    playbook_restore_version,
    playbook_set_enabled,
    playbook_set_verified,
    playbook_update,
    playbook_update_step,
)


class PlaybookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Playbooks of your teams. Editors (and admins) write; everyone in the team reads."""

    serializer_class = s.PlaybookOutputSerializer
    queryset = Playbook.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        if self.action != "list":
            return playbook_list_for_user(self.request.user)
        filters = validated(s.PlaybookFilterSerializer, self.request.query_params.dict())
        return playbook_list_for_user(self.request.user, filters=filters)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.PlaybookDetailOutputSerializer
        return s.PlaybookOutputSerializer

    @extend_schema(parameters=[s.PlaybookFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.PlaybookCreateInputSerializer,
        responses={201: s.PlaybookDetailOutputSerializer, **errors(404)},
    )
    def create(self, request):
        data = validated(s.PlaybookCreateInputSerializer, request.data)
        team = team_for_write(request.user, data.pop("team", None))
        playbook = playbook_create_from_template(team=team, actor=request.user, **data)
        return Response(_detail(playbook), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.PlaybookUpdateInputSerializer,
        responses={200: s.PlaybookDetailOutputSerializer, **errors(409)},
    )
    def update(self, request, pk=None):
        data = validated(s.PlaybookUpdateInputSerializer, request.data)
        playbook = playbook_update(self.get_object(), actor=request.user, **data)
        return Response(_detail(playbook))

    @extend_schema(responses={204: None, **errors(409)})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        playbook_delete(instance, actor=self.request.user)

    @extend_schema(
        request={
            "application/json": s.PlaybookImportContentSerializer,
            "multipart/form-data": s.PlaybookImportFileSerializer,
        },
        responses={201: s.PlaybookImportOutputSerializer, **errors(404)},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_playbook(self, request):
        data = validated(s.PlaybookImportInputSerializer, request.data)
        team = team_for_write(request.user, data.pop("team", None))
        result = playbook_import(team=team, actor=request.user, **data)
        body = s.PlaybookImportOutputSerializer(result).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": sets.SetImportInputSerializer},
        responses={
            200: OpenApiResponse(sets.SetImportOutputSerializer, description="A clean dry run."),
            201: OpenApiResponse(sets.SetImportOutputSerializer, description="All imported."),
            422: OpenApiResponse(
                sets.SetImportOutputSerializer,
                description="A file did not import: its `errors` say why (the rest did).",
            ),
            **errors(404),
        },
    )
    @action(detail=False, methods=["post"], url_path="import-set", parser_classes=[MultiPartParser])
    def import_set(self, request):
        """Import several files or zips as one set (see ``docs/migrating.md``)."""
        return sets.import_set_response(request)

    @extend_schema(
        parameters=[s.PlaybookExportInputSerializer],
        responses={
            (200, "application/yaml"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The playbook's YAML document, as stored."
            ),
            (200, "application/json"): s.PlaybookExportOutputSerializer,
        },
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        data = validated(s.PlaybookExportInputSerializer, request.query_params.dict())
        exported = playbook_export(self.get_object(), actor=request.user, **data)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response

    @extend_schema(
        request=s.PlaybookDuplicateInputSerializer,
        responses={201: s.PlaybookDetailOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        data = validated(s.PlaybookDuplicateInputSerializer, request.data)
        copy = playbook_duplicate(self.get_object(), actor=request.user, **data)
        return Response(_detail(copy), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.PlaybookStepInputSerializer,
        responses={200: s.PlaybookDetailOutputSerializer, **errors(409)},
    )
    @action(detail=True, methods=["put"], url_path=r"steps/(?P<step_id>[^/]+)")
    def step(self, request, pk=None, step_id=None):
        data = validated(s.PlaybookStepInputSerializer, request.data)
        playbook = playbook_update_step(
            self.get_object(), actor=request.user, step_id=step_id, **data
        )
        return Response(_detail(playbook))

    @extend_schema(responses=s.PlaybookVersionOutputSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        page = self.paginate_queryset(playbook_version_list(self.get_object()))
        body = s.PlaybookVersionOutputSerializer(page, many=True).data
        return self.get_paginated_response(body)

    @extend_schema(
        parameters=[s.PlaybookDiffInputSerializer], responses=s.PlaybookDiffOutputSerializer
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        playbook = self.get_object()
        data = validated(s.PlaybookDiffInputSerializer, request.query_params.dict())
        to_revision = data.get("to_revision") or playbook.current_version.revision
        text = playbook_version_diff(
            playbook, from_revision=data["from_revision"], to_revision=to_revision
        )
        body = {"from_revision": data["from_revision"], "to_revision": to_revision, "diff": text}
        return Response(s.PlaybookDiffOutputSerializer(body).data)

    @extend_schema(
        request=s.PlaybookRestoreInputSerializer,
        responses={200: s.PlaybookDetailOutputSerializer, **errors(409)},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        data = validated(s.PlaybookRestoreInputSerializer, request.data)
        playbook = playbook_restore_version(self.get_object(), actor=request.user, **data)
        return Response(_detail(playbook))

    @extend_schema(request=s.VerifyInputSerializer, responses=s.PlaybookOutputSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = validated(s.VerifyInputSerializer, request.data)
        playbook = playbook_set_verified(self.get_object(), actor=request.user, **data)
        return Response(s.PlaybookOutputSerializer(playbook).data)

    @extend_schema(request=s.EnableInputSerializer, responses=s.PlaybookOutputSerializer)
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        data = validated(s.EnableInputSerializer, request.data)
        playbook = playbook_set_enabled(self.get_object(), actor=request.user, **data)
        return Response(s.PlaybookOutputSerializer(playbook).data)


def _detail(playbook) -> dict:
    return s.PlaybookDetailOutputSerializer(playbook).data
