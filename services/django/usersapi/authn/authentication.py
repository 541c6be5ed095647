"""DRF authentication: `Authorization: Bearer <jwt>` naming an active user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from usersapi.authn.tokens import token_subject
from usersapi.core.errors import Unauthorized
from usersapi.users.models import User
from usersapi.users.selectors import user_get_active

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
        user_id = token_subject(token)
        user = user_get_active(user_id=user_id) if user_id is not None else None
        if user is None:
            raise Unauthorized()
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class IsAuthenticatedUser(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, User)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return True
