"""API: presets, the named parameter sets of a playbook."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from apps.core.api import validated
from apps.core.schema import errors
from apps.playbooks.api import serializers as s
from apps.playbooks.models import Preset
from apps.playbooks.selectors import playbook_get_for_user, preset_list_for_user
from apps.playbooks.services import preset_create, preset_delete, preset_update


class PresetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Presets you may see: shared ones of your teams and your own. ``?playbook=<id>`` filters."""

    serializer_class = s.PresetOutputSerializer
    queryset = Preset.objects.none()  # names the model for the schema; never queried

    def get_queryset(self):
        playbook = None
        if self.action == "list":
            filters = validated(s.PresetFilterSerializer, self.request.query_params.dict())
            playbook_id = filters.get("playbook")
            if playbook_id is not None:
                playbook = playbook_get_for_user(self.request.user, playbook_id)
        return preset_list_for_user(self.request.user, playbook=playbook)

    @extend_schema(parameters=[s.PresetFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.PresetCreateInputSerializer,
        responses={201: s.PresetOutputSerializer, **errors(404, 409)},
    )
    def create(self, request):
        data = validated(s.PresetCreateInputSerializer, request.data)
        playbook = playbook_get_for_user(request.user, data.pop("playbook"))
        preset = preset_create(playbook=playbook, actor=request.user, **data)
        return Response(s.PresetOutputSerializer(preset).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.PresetUpdateInputSerializer,
        responses={200: s.PresetOutputSerializer, **errors(409)},
    )
    def partial_update(self, request, pk=None):
        data = validated(s.PresetUpdateInputSerializer, request.data)
        preset = preset_update(self.get_object(), actor=request.user, **data)
        return Response(s.PresetOutputSerializer(preset).data)

    def perform_destroy(self, instance):
        preset_delete(instance, actor=self.request.user)
