"""/api/v2/users (current): UUID ids, keyset pagination, ETag / If-Match."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, json
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import openapi as doc
from app.core.context import AppRequest
from app.core.contract import JSON_MEDIA_TYPE
from app.core.errors import FieldError
from app.core.validation import json_body, query_params, validated
from app.outbox.service import OutboxPublisher
from app.users import service
from app.users.ids import parse_v2_id
from app.users.models import User
from app.users.schemas import UserV2, UserV2Create, UserV2ListQuery, UserV2Page, UserV2Update

bp = Blueprint("users_v2", url_prefix="/users")
TAG = "users-v2"
V2_LOCATION = "^/api/v2/users/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ID_PARAM = {
    "type": "string",
    "format": "uuid",
    "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
}
IF_MATCH_MAX = 256


def _user(user: User, status: int = 200) -> HTTPResponse:
    return json(
        UserV2.from_user(user).model_dump(mode="json"),
        status=status,
        headers={"ETag": user.etag},
    )


def _check_if_match(request: Request, errors: list[FieldError]) -> None:
    value = request.headers.getone("if-match", None)
    # Contract §3: only length is a 422; an empty value is compared later and matches nothing.
    if value is not None and len(value) > IF_MATCH_MAX:
        errors.append(FieldError("header", "If-Match", "too_long", "at most 256 characters"))


@bp.post("", ctx_media=JSON_MEDIA_TYPE)
@doc.operation("v2_user_create", tag=TAG, summary="Sign up.", public=True)
@doc.body(UserV2Create)
@doc.responds(201, "Created.", UserV2, headers=("ETag",), inline_headers=doc.location(V2_LOCATION))
@doc.problems(400, 409, 413, 415, 422, 503)
@validated(json=json_body(UserV2Create))
async def user_create(
    request: AppRequest, body: UserV2Create, session: AsyncSession, publisher: OutboxPublisher
) -> HTTPResponse:
    data = service.NewUser(email=body.email, full_name=body.name, password=body.password)
    created = await service.user_create(session=session, data=data, request_id=request.request_id)
    # After the response is on its way; a broker failure leaves the row to the worker's relay.
    if created.outbox_id is not None:
        request.app.add_task(publisher.publish(created.outbox_id, request.request_id))
    response = _user(created.user, status=201)
    response.headers["Location"] = f"/api/v2/users/{created.user.public_id}"
    return response


@bp.get("")
@doc.operation("v2_user_list", tag=TAG, summary="Keyset-paginated users (admin).")
@doc.query_parameters(UserV2ListQuery)
@doc.responds(200, "One page of users.", UserV2Page)
@doc.problems(400, 401, 403, 422, 503)
@validated(query=query_params(UserV2ListQuery))
async def user_list(
    request: Request, query: UserV2ListQuery, session: AsyncSession, me: User
) -> HTTPResponse:
    params = query.model_dump(mode="json")
    users, next_cursor = await service.user_list_by_creation(
        session=session,
        actor=me,
        limit=query.limit,
        cursor=params.get("cursor"),
        status=params.get("status"),
        email=params["email"].strip().lower() if "email" in params else None,
    )
    page = UserV2Page(data=[UserV2.from_user(u) for u in users], next_cursor=next_cursor)
    return json(page.model_dump(mode="json"))


@bp.get("/me")
@doc.operation("v2_user_me", tag=TAG, summary="The authenticated user.")
@doc.responds(200, "The user.", UserV2, headers=("ETag",))
@doc.problems(401, 503)
async def user_me(request: Request, me: User) -> HTTPResponse:
    return _user(me)


@bp.get("/<id:str>")
@doc.operation("v2_user_get", tag=TAG, summary="One user (self or admin).")
@doc.parameter("id", ID_PARAM, "path", required=True)
@doc.responds(200, "The user.", UserV2, headers=("ETag",))
@doc.problems(401, 404, 503)
async def user_get(request: Request, id: str, session: AsyncSession, me: User) -> HTTPResponse:
    return _user(
        await service.user_get_visible(session=session, actor=me, public_id=parse_v2_id(id))
    )


@bp.patch("/<id:str>", ctx_media=JSON_MEDIA_TYPE)
@doc.operation("v2_user_update", tag=TAG, summary="Partial update guarded by If-Match.")
@doc.parameter("id", ID_PARAM, "path", required=True)
@doc.parameter(
    "If-Match",
    {"type": "string", "minLength": 1, "maxLength": IF_MATCH_MAX},
    "header",
    required=True,
    description="The ETag last read; `*` matches any current version.",
)
@doc.body(UserV2Update)
@doc.responds(200, "The user.", UserV2, headers=("ETag",))
@doc.problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503)
@validated(json=json_body(UserV2Update, extra=_check_if_match))
async def user_update(
    request: Request, id: str, body: UserV2Update, session: AsyncSession, me: User
) -> HTTPResponse:
    user = await service.user_get_visible(session=session, actor=me, public_id=parse_v2_id(id))
    given = body.model_dump()
    changes = service.UserChanges(
        email=given.get("email"),
        full_name=given.get("name"),
        password=given.get("password"),
        status=given.get("status"),
        role=given.get("role"),
    )
    user = await service.user_update(
        session=session,
        actor=me,
        user=user,
        changes=changes,
        if_match=request.headers.getone("if-match", None),
        require_if_match=True,
    )
    return _user(user)


@bp.delete("/<id:str>")
@doc.operation("v2_user_delete", tag=TAG, summary="Delete (self or admin).")
@doc.parameter("id", ID_PARAM, "path", required=True)
@doc.responds(204, "Deleted; no body.")
@doc.problems(401, 404, 503)
async def user_delete(request: Request, id: str, session: AsyncSession, me: User) -> HTTPResponse:
    user = await service.user_get_visible(session=session, actor=me, public_id=parse_v2_id(id))
    await service.user_delete(session=session, user=user)
    return empty()
