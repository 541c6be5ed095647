"""/api/v1/users: deprecated, sequential ids; a thin adapter over the shared service layer."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import WithJsonSchema

import app.core.routing  # noqa: F401  (registers the {id:user_id} convertor)
from app.auth.deps import CurrentUser
from app.core.deps import SessionDep
from app.core.openapi import problem_responses, standard_response_headers
from app.core.requests import JSON_MEDIA_TYPE, body_openapi, json_body
from app.users import service
from app.users.deps import UserSignUp
from app.users.ids import MAX_ID, parse_v1_id
from app.users.models import Status
from app.users.params import OffsetPage, offset_page
from app.users.schemas import UserV1, UserV1Create, UserV1Page, UserV1Update

router = APIRouter(prefix="/api/v1/users", tags=["users-v1"], deprecated=True)

UserId = Annotated[
    str,
    Path(
        alias="id",
        description="Internal id. Anything but a canonical positive 64-bit integer is 404.",
    ),
    WithJsonSchema({"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}),
]
V1_RESPONSE_HEADERS = standard_response_headers(v1=True)
V1_USER_RESPONSE = {"description": "The user.", "headers": V1_RESPONSE_HEADERS}
LOCATION_HEADER = {
    "description": "Path of the new user.",
    "required": True,
    "schema": {"type": "string", "pattern": "^/api/v1/users/[1-9][0-9]*$"},
}


def changes_from(body: UserV1Update) -> service.UserChanges:
    status = (
        None if body.is_active is None else Status.ACTIVE if body.is_active else Status.DISABLED
    )
    return service.UserChanges(
        email=body.email, full_name=body.full_name, password=body.password, status=status
    )


@router.post(
    "",
    operation_id="v1_user_create",
    summary="Sign up (no authentication). Enqueues the welcome email.",
    status_code=201,
    response_model=UserV1,
    dependencies=[JSON_MEDIA_TYPE],
    responses={
        201: {
            "description": "Created.",
            "headers": {**V1_RESPONSE_HEADERS, "Location": LOCATION_HEADER},
        },
        **problem_responses(400, 409, 413, 415, 422, 503, v1=True),
    },
    openapi_extra=body_openapi(UserV1Create),
)
async def user_create(
    response: Response,
    sign_up: UserSignUp,
    body: Annotated[UserV1Create, Depends(json_body(UserV1Create))],
) -> UserV1:
    user = await sign_up(
        service.NewUser(email=body.email, full_name=body.full_name, password=body.password)
    )
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return UserV1.from_user(user)


@router.get(
    "",
    operation_id="v1_user_list",
    summary="List users ordered by id (admin only).",
    response_model=UserV1Page,
    responses={
        200: {"description": "One page of users.", "headers": V1_RESPONSE_HEADERS},
        **problem_responses(401, 403, 422, 503, v1=True),
    },
)
async def user_list(
    current: CurrentUser,
    page: Annotated[OffsetPage, Depends(offset_page)],
    session: SessionDep,
) -> UserV1Page:
    # Check order: 401 (CurrentUser), then 422 (offset_page), then 403 (the service).
    users, total = await service.user_list_by_id(
        session=session, actor=current, offset=page.offset, limit=page.limit
    )
    return UserV1Page(
        items=[UserV1.from_user(u) for u in users],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get(
    "/me",
    operation_id="v1_user_me",
    summary="The authenticated user.",
    response_model=UserV1,
    responses={200: V1_USER_RESPONSE, **problem_responses(401, 503, v1=True)},
)
async def user_me(current: CurrentUser) -> UserV1:
    return UserV1.from_user(current)


@router.get(
    "/{id:user_id}",
    operation_id="v1_user_get",
    summary="One user (self or admin).",
    response_model=UserV1,
    responses={200: V1_USER_RESPONSE, **problem_responses(401, 404, 503, v1=True)},
)
async def user_get(raw_id: UserId, current: CurrentUser, session: SessionDep) -> UserV1:
    target = await service.user_get_visible(
        session=session, actor=current, user_id=parse_v1_id(raw_id)
    )
    return UserV1.from_user(target)


@router.patch(
    "/{id:user_id}",
    operation_id="v1_user_update",
    summary="Partial update (self or admin; `is_active` admin only). An empty object is a no-op.",
    response_model=UserV1,
    dependencies=[JSON_MEDIA_TYPE],
    responses={
        200: V1_USER_RESPONSE,
        **problem_responses(400, 401, 403, 404, 409, 413, 415, 422, 503, v1=True),
    },
    openapi_extra=body_openapi(UserV1Update),
)
async def user_update(
    raw_id: UserId,
    current: CurrentUser,
    body: Annotated[UserV1Update, Depends(json_body(UserV1Update))],
    session: SessionDep,
) -> UserV1:
    target = await service.user_get_visible(
        session=session, actor=current, user_id=parse_v1_id(raw_id)
    )
    updated = await service.user_update(
        session=session, actor=current, user=target, changes=changes_from(body)
    )
    return UserV1.from_user(updated)


@router.delete(
    "/{id:user_id}",
    operation_id="v1_user_delete",
    summary="Delete (self or admin).",
    status_code=204,
    response_class=Response,
    responses={
        204: {"description": "Deleted; no body.", "headers": V1_RESPONSE_HEADERS},
        **problem_responses(401, 404, 503, v1=True),
    },
)
async def user_delete(raw_id: UserId, current: CurrentUser, session: SessionDep) -> None:
    target = await service.user_get_visible(
        session=session, actor=current, user_id=parse_v1_id(raw_id)
    )
    await service.user_delete(session=session, user=target)
