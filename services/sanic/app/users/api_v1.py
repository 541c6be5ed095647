"""/api/v1/users (deprecated): sequential integer ids."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, json
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import openapi as doc
from app.core.context import AppRequest
from app.core.contract import JSON_MEDIA_TYPE
from app.core.validation import json_body, query_params, validated
from app.outbox.service import OutboxPublisher
from app.users import service
from app.users.ids import parse_v1_id
from app.users.models import Status, User
from app.users.schemas import UserV1, UserV1Create, UserV1ListQuery, UserV1Page, UserV1Update

bp = Blueprint("users_v1", url_prefix="/users")
TAG = "users-v1"
ID_PARAM = {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}


def _user(user: User, status: int = 200) -> HTTPResponse:
    return json(UserV1.from_user(user).model_dump(mode="json"), status=status)


@bp.post("", ctx_media=JSON_MEDIA_TYPE)
@doc.operation("v1_user_create", tag=TAG, summary="Sign up.", deprecated=True, public=True)
@doc.body(UserV1Create)
@doc.responds(
    201, "Created.", UserV1, inline_headers=doc.location("^/api/v1/users/[1-9][0-9]*$"), v1=True
)
@doc.problems(400, 409, 413, 415, 422, 503, v1=True)
@validated(json=json_body(UserV1Create))
async def user_create(
    request: AppRequest, body: UserV1Create, session: AsyncSession, publisher: OutboxPublisher
) -> HTTPResponse:
    data = service.NewUser(email=body.email, full_name=body.full_name, password=body.password)
    created = await service.user_create(session=session, data=data, request_id=request.request_id)
    # After the response is on its way; a broker failure leaves the row to the worker's relay.
    if created.outbox_id is not None:
        request.app.add_task(publisher.publish(created.outbox_id, request.request_id))
    response = _user(created.user, status=201)
    response.headers["Location"] = f"/api/v1/users/{created.user.id}"
    return response


@bp.get("")
@doc.operation("v1_user_list", tag=TAG, summary="List users by id (admin).", deprecated=True)
@doc.query_parameters(UserV1ListQuery)
@doc.responds(200, "One page of users.", UserV1Page, v1=True)
@doc.problems(401, 403, 422, 503, v1=True)
@validated(query=query_params(UserV1ListQuery))
async def user_list(
    request: Request, query: UserV1ListQuery, session: AsyncSession, me: User
) -> HTTPResponse:
    users, total = await service.user_list_by_id(
        session=session, actor=me, offset=query.offset, limit=query.limit
    )
    page = UserV1Page(
        items=[UserV1.from_user(u) for u in users],
        total=total,
        offset=query.offset,
        limit=query.limit,
    )
    return json(page.model_dump(mode="json"))


@bp.get("/me")
@doc.operation("v1_user_me", tag=TAG, summary="The authenticated user.", deprecated=True)
@doc.responds(200, "The user.", UserV1, v1=True)
@doc.problems(401, 503, v1=True)
async def user_me(request: Request, me: User) -> HTTPResponse:
    return _user(me)


@bp.get("/<id:str>")
@doc.operation("v1_user_get", tag=TAG, summary="One user (self or admin).", deprecated=True)
@doc.parameter("id", ID_PARAM, "path", required=True)
@doc.responds(200, "The user.", UserV1, v1=True)
@doc.problems(401, 404, 503, v1=True)
async def user_get(request: Request, id: str, session: AsyncSession, me: User) -> HTTPResponse:
    return _user(await service.user_get_visible(session=session, actor=me, user_id=parse_v1_id(id)))


@bp.patch("/<id:str>", ctx_media=JSON_MEDIA_TYPE)
@doc.operation("v1_user_update", tag=TAG, summary="Partial update.", deprecated=True)
@doc.parameter("id", ID_PARAM, "path", required=True)
@doc.body(UserV1Update)
@doc.responds(200, "The user.", UserV1, v1=True)
@doc.problems(400, 401, 403, 404, 409, 413, 415, 422, 503, v1=True)
@validated(json=json_body(UserV1Update))
async def user_update(
    request: Request, id: str, body: UserV1Update, session: AsyncSession, me: User
) -> HTTPResponse:
    user = await service.user_get_visible(session=session, actor=me, user_id=parse_v1_id(id))
    given = body.model_dump()
    status: Status | None = None
    if "is_active" in given:
        status = Status.ACTIVE if given["is_active"] else Status.DISABLED
    changes = service.UserChanges(
        email=given.get("email"),
        full_name=given.get("full_name"),
        password=given.get("password"),
        status=status,
    )
    user = await service.user_update(session=session, actor=me, user=user, changes=changes)
    return _user(user)


@bp.delete("/<id:str>")
@doc.operation("v1_user_delete", tag=TAG, summary="Delete (self or admin).", deprecated=True)
@doc.parameter("id", ID_PARAM, "path", required=True)
@doc.responds(204, "Deleted; no body.", v1=True)
@doc.problems(401, 404, 503, v1=True)
async def user_delete(request: Request, id: str, session: AsyncSession, me: User) -> HTTPResponse:
    user = await service.user_get_visible(session=session, actor=me, user_id=parse_v1_id(id))
    await service.user_delete(session=session, user=user)
    return empty()
