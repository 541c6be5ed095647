"""DRF authentication: `Authorization: Bearer <jwt>` naming an active user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from usersapi.auth.services import user_from_token
from usersapi.core.errors import Unauthorized
from usersapi.users.models import User

if TYPE_CHECKING:
    from rest_framework.views import APIView


class BearerAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, str] | None:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized()
        return user_from_token(token=token, secret_key=settings.SECRET_KEY), token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class IsAuthenticatedUser(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, User)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return True
