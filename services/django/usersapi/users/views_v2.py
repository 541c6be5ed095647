"""v2 (current): UUID ids, keyset pagination, ETag / If-Match. Same service layer as v1."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from usersapi.core.context import request_id_var
from usersapi.core.errors import FieldError, ValidationFailed
from usersapi.core.openapi import problems
from usersapi.core.validation import validate_body, validate_multi
from usersapi.core.views import ApiView
from usersapi.users import selectors, services
from usersapi.users.ids import V2_ID, parse_v2_id
from usersapi.users.models import Role, Status, User
from usersapi.users.serializers import (
    UserV2CreateSerializer,
    UserV2ListQuerySerializer,
    UserV2PageSerializer,
    UserV2Serializer,
    UserV2UpdateSerializer,
)

TAGS = ["users-v2"]
ID_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    pattern=f"^{V2_ID.pattern}$",
    description="Public UUID, lower-case canonical form. Anything else is 404.",
)
IF_MATCH_MAX_LENGTH = 256
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    {"type": "string", "minLength": 1, "maxLength": IF_MATCH_MAX_LENGTH},
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag last read; `*` matches any current version.",
)
# Response headers: `_user_response` sets ETag; the create answer adds Location.
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern='^"[^"]+"$',
    description="Strong validator of the user's current version.",
    response=[200, 201],
)
LOCATION_HEADER = OpenApiParameter(
    "Location",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=f"^/api/v2/users/{V2_ID.pattern}$",
    description="Path of the new user.",
    response=[201],
)


def _actor(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


def _user_response(
    user: User, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        UserV2Serializer(user).data, status=status, headers={"ETag": user.etag, **(headers or {})}
    )


class UsersV2View(ApiView):
    public_methods = frozenset({"POST"})

    @extend_schema(
        operation_id="v2_user_create",
        tags=TAGS,
        auth=[],
        summary="Sign up (no authentication). Enqueues the welcome email.",
        parameters=[LOCATION_HEADER, ETAG_HEADER],
        request=UserV2CreateSerializer,
        responses={201: UserV2Serializer, **problems(400, 409, 413, 415, 422, 503)},
    )
    def post(self, request: Request) -> Response:
        data = validate_body(UserV2CreateSerializer, request.data)
        new = services.NewUser(
            email=data["email"], full_name=data["name"], password=data["password"]
        )
        user = services.user_create(data=new, request_id=request_id_var.get()).user
        return _user_response(user, 201, {"Location": f"/api/v2/users/{user.public_id}"})

    @extend_schema(
        operation_id="v2_user_list",
        tags=TAGS,
        summary="Keyset-paginated users in creation order (admin only).",
        parameters=[UserV2ListQuerySerializer],
        responses={200: UserV2PageSerializer, **problems(400, 401, 403, 422, 503)},
    )
    def get(self, request: Request) -> Response:
        query = validate_multi(UserV2ListQuerySerializer, request.query_params, "query")
        email = query["email"].strip().lower() if "email" in query else None
        users, next_cursor = selectors.user_list_by_creation(
            actor=_actor(request),
            limit=query["limit"],
            cursor=query.get("cursor"),
            status=query.get("status"),
            email=email,
        )
        page: dict[str, object] = {"data": users, "next_cursor": next_cursor}
        return Response(UserV2PageSerializer(page).data)


class UserMeV2View(ApiView):
    @extend_schema(
        operation_id="v2_user_me",
        tags=TAGS,
        summary="The authenticated user.",
        parameters=[ETAG_HEADER],
        responses={200: UserV2Serializer, **problems(401, 503)},
    )
    def get(self, request: Request) -> Response:
        return _user_response(_actor(request))


class UserV2View(ApiView):
    @extend_schema(
        operation_id="v2_user_get",
        tags=TAGS,
        parameters=[ID_PARAMETER, ETAG_HEADER],
        summary="One user (self or admin).",
        responses={200: UserV2Serializer, **problems(401, 404, 503)},
    )
    def get(self, request: Request, id: str) -> Response:
        return _user_response(
            selectors.user_get_visible(actor=_actor(request), public_id=parse_v2_id(id))
        )

    @extend_schema(
        operation_id="v2_user_update",
        tags=TAGS,
        parameters=[ID_PARAMETER, IF_MATCH_PARAMETER, ETAG_HEADER],
        summary="Partial update guarded by If-Match (self or admin; `status`, `role` admin only).",
        request=UserV2UpdateSerializer,
        responses={
            200: UserV2Serializer,
            **problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503),
        },
    )
    def patch(self, request: Request, id: str) -> Response:
        if_match = request.headers.get("If-Match")
        data = _validate_update(request.data, if_match)
        actor = _actor(request)
        user = selectors.user_get_visible(actor=actor, public_id=parse_v2_id(id))
        changes = services.UserChanges(
            email=data.get("email"),
            full_name=data.get("name"),
            password=data.get("password"),
            status=Status(data["status"]) if "status" in data else None,
            role=Role(data["role"]) if "role" in data else None,
        )
        user = services.user_update(
            actor=actor,
            user=user,
            changes=changes,
            if_match=if_match,
            require_if_match=True,
        )
        return _user_response(user)

    @extend_schema(
        operation_id="v2_user_delete",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        summary="Delete (self or admin).",
        responses={204: None, **problems(401, 404, 503)},
    )
    def delete(self, request: Request, id: str) -> Response:
        user = selectors.user_get_visible(actor=_actor(request), public_id=parse_v2_id(id))
        services.user_delete(user=user)
        return Response(status=204)


def _validate_update(body: Any, if_match: str | None) -> dict[str, Any]:
    """Body and header errors are reported together (contract §1 step 7)."""
    errors: list[FieldError] = []
    if if_match is not None and len(if_match) > IF_MATCH_MAX_LENGTH:
        errors.append(FieldError("header", "If-Match", "too_long", "At most 256 characters."))
    try:
        data = validate_body(UserV2UpdateSerializer, body)
    except ValidationFailed as exc:
        raise ValidationFailed(errors + exc.errors) from exc
    if errors:
        raise ValidationFailed(errors)
    return data
