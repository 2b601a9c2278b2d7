"""API: the current user and their teams (sign-in endpoints are in ``api_auth``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Team
from apps.accounts.selectors import team_list_for_user, user_is_admin, user_role_names


class TeamOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "description", "created_at"]


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField(allow_null=True, help_text="null when the user has none.")
    is_admin = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    teams = TeamOutputSerializer(many=True)


class MeView(APIView):
    """The authenticated user, their roles and their teams."""

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "email": user.email or None,
            "is_admin": user_is_admin(user),
            "roles": sorted(user_role_names(user)),
            "teams": team_list_for_user(user),
        }
        return Response(MeOutputSerializer(data).data)


class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Teams the user belongs to (all teams for admins)."""

    serializer_class = TeamOutputSerializer
    queryset = Team.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return team_list_for_user(self.request.user)
