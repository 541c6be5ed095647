"""v1 (deprecated): integer ids. Thin views over users/services.py and users/selectors.py."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from usersapi.core.context import request_id_var
from usersapi.core.openapi import problems
from usersapi.core.validation import validate_body, validate_multi
from usersapi.core.views import ApiView
from usersapi.users import selectors, services
from usersapi.users.ids import MAX_ID, parse_v1_id
from usersapi.users.models import Status, User
from usersapi.users.serializers import (
    UserV1CreateSerializer,
    UserV1ListQuerySerializer,
    UserV1PageSerializer,
    UserV1Serializer,
    UserV1UpdateSerializer,
)

TAGS = ["users-v1"]
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
    description="Internal id. Anything but a canonical positive 64-bit integer is 404.",
)
LOCATION_HEADER = OpenApiParameter(
    "Location",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern="^/api/v1/users/[1-9][0-9]*$",
    description="Path of the new user.",
    response=[201],
)


def _actor(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class UsersV1View(ApiView):
    public_methods = frozenset({"POST"})

    @extend_schema(
        operation_id="v1_user_create",
        tags=TAGS,
        deprecated=True,
        auth=[],
        summary="Sign up (no authentication). Enqueues the welcome email.",
        parameters=[LOCATION_HEADER],
        request=UserV1CreateSerializer,
        responses={201: UserV1Serializer, **problems(400, 409, 413, 415, 422, 503)},
    )
    def post(self, request: Request) -> Response:
        data = validate_body(UserV1CreateSerializer, request.data)
        new = services.NewUser(**data)
        user = services.user_create(data=new, request_id=request_id_var.get()).user
        return Response(
            UserV1Serializer(user).data,
            status=201,
            headers={"Location": f"/api/v1/users/{user.pk}"},
        )

    @extend_schema(
        operation_id="v1_user_list",
        tags=TAGS,
        deprecated=True,
        summary="List users ordered by id (admin only).",
        parameters=[UserV1ListQuerySerializer],
        responses={200: UserV1PageSerializer, **problems(401, 403, 422, 503)},
    )
    def get(self, request: Request) -> Response:
        query = validate_multi(UserV1ListQuerySerializer, request.query_params, "query")
        users, total = selectors.user_list_by_id(
            actor=_actor(request), offset=query["offset"], limit=query["limit"]
        )
        page = {"items": users, "total": total, "offset": query["offset"], "limit": query["limit"]}
        return Response(UserV1PageSerializer(page).data)


class UserMeV1View(ApiView):
    @extend_schema(
        operation_id="v1_user_me",
        tags=TAGS,
        deprecated=True,
        summary="The authenticated user.",
        responses={200: UserV1Serializer, **problems(401, 503)},
    )
    def get(self, request: Request) -> Response:
        return Response(UserV1Serializer(_actor(request)).data)


class UserV1View(ApiView):
    @extend_schema(
        operation_id="v1_user_get",
        tags=TAGS,
        deprecated=True,
        parameters=[ID_PARAMETER],
        summary="One user (self or admin).",
        responses={200: UserV1Serializer, **problems(401, 404, 503)},
    )
    def get(self, request: Request, id: str) -> Response:
        user = selectors.user_get_visible(actor=_actor(request), user_id=parse_v1_id(id))
        return Response(UserV1Serializer(user).data)

    @extend_schema(
        operation_id="v1_user_update",
        tags=TAGS,
        deprecated=True,
        parameters=[ID_PARAMETER],
        summary="Partial update (self or admin; `is_active` admin only). `{}` is a no-op.",
        request=UserV1UpdateSerializer,
        responses={200: UserV1Serializer, **problems(400, 401, 403, 404, 409, 413, 415, 422, 503)},
    )
    def patch(self, request: Request, id: str) -> Response:
        data = validate_body(UserV1UpdateSerializer, request.data)
        actor = _actor(request)
        user = selectors.user_get_visible(actor=actor, user_id=parse_v1_id(id))
        user = services.user_update(actor=actor, user=user, changes=_changes(data))
        return Response(UserV1Serializer(user).data)

    @extend_schema(
        operation_id="v1_user_delete",
        tags=TAGS,
        deprecated=True,
        parameters=[ID_PARAMETER],
        summary="Delete (self or admin).",
        responses={204: None, **problems(401, 404, 503)},
    )
    def delete(self, request: Request, id: str) -> Response:
        user = selectors.user_get_visible(actor=_actor(request), user_id=parse_v1_id(id))
        services.user_delete(user=user)
        return Response(status=204)


def _changes(data: dict[str, Any]) -> services.UserChanges:
    """v1 names to the service's: `is_active` is the v2 `status`."""
    active = data.get("is_active")
    return services.UserChanges(
        email=data.get("email"),
        full_name=data.get("full_name"),
        password=data.get("password"),
        status=None if active is None else Status.ACTIVE if active else Status.DISABLED,
    )
