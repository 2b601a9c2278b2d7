"""API sign-in: an API token, or a JWT access and refresh pair (rotated, blacklisted on logout).

Both exchange a username and password through ``django.contrib.auth.authenticate`` with the
request, so django-axes counts failures and refuses locked-out users here as on the pages.
"""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework_simplejwt.serializers import (
    TokenBlacklistSerializer,
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
)
from rest_framework_simplejwt.views import (
    TokenBlacklistView,
    TokenObtainPairView,
    TokenRefreshView,
)

from apps.accounts.lockout import api_login_succeeded, raise_if_locked_out
from apps.core.schema import errors
from apps.core.throttles import ScopedClientRateThrottle


@extend_schema_serializer(component_name="AuthToken")
class TokenInputSerializer(AuthTokenSerializer):
    """A wrong password or an inactive user is a 401, as for the JWT sign-in."""

    def validate(self, attrs):
        request = self.context["request"]
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError as exc:
            raise_if_locked_out(request)
            message = exc.detail[0] if isinstance(exc.detail, list) else exc.detail
            raise AuthenticationFailed(message, "authorization") from None
        api_login_succeeded(request, attrs["user"])
        return attrs


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (``Authorization: Token <key>``)."""

    serializer_class = TokenInputSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedClientRateThrottle]
    throttle_scope = "login"

    def get_authenticate_header(self, request) -> str:
        return "Token"

    @extend_schema(
        request=TokenInputSerializer, responses={200: TokenOutputSerializer, **errors(401, 429)}
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class JwtObtainSerializer(TokenObtainPairSerializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)

    def validate(self, attrs):
        request = self.context["request"]
        try:
            data = super().validate(attrs)
        except AuthenticationFailed:
            raise_if_locked_out(request)
            raise
        api_login_succeeded(request, self.user)
        return data


class JwtRefreshSerializer(TokenRefreshSerializer):
    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except ObjectDoesNotExist:
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            ) from None


class JwtPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


@extend_schema_view(
    post=extend_schema(responses={200: JwtPairOutputSerializer, **errors(401, 429)})
)
class JwtObtainView(TokenObtainPairView):
    """Exchange a username and password for a JWT access token (``Authorization: Bearer
    <access>``) and a refresh token."""

    serializer_class = JwtObtainSerializer
    throttle_classes = [ScopedClientRateThrottle]
    throttle_scope = "login"


@extend_schema_view(post=extend_schema(responses={200: JwtPairOutputSerializer, **errors(401)}))
class JwtRefreshView(TokenRefreshView):
    """Exchange a refresh token for a new access token and a new refresh token; the one sent
    is blacklisted and refused from then on."""

    serializer_class = JwtRefreshSerializer


@extend_schema_view(post=extend_schema(responses={200: OpenApiTypes.OBJECT, **errors(401)}))
class JwtLogoutView(TokenBlacklistView):
    """Blacklist a refresh token; access tokens issued from it lapse after their lifetime."""

    serializer_class = TokenBlacklistSerializer
