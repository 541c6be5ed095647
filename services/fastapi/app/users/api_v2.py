"""/api/v2/users: UUID ids, keyset pagination, ETag / If-Match; same service layer as v1."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import WithJsonSchema

import app.core.routing  # noqa: F401  (registers the {id:user_id} convertor)
from app.auth.deps import CurrentUser
from app.core.deps import SessionDep
from app.core.openapi import problem_responses, standard_response_headers
from app.core.requests import JSON_MEDIA_TYPE, body_openapi, json_body, max_header_length
from app.users import service
from app.users.deps import UserSignUp
from app.users.ids import parse_v2_id
from app.users.models import User
from app.users.params import KeysetQuery, keyset_query
from app.users.schemas import UserV2, UserV2Create, UserV2Page, UserV2Update

router = APIRouter(prefix="/api/v2/users", tags=["users-v2"])

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
UserId = Annotated[
    str,
    Path(alias="id", description="Public UUID, lower-case canonical form. Anything else is 404."),
    WithJsonSchema({"type": "string", "format": "uuid", "pattern": UUID_PATTERN}),
]
LOCATION_HEADER = {
    "description": "Path of the new user.",
    "required": True,
    "schema": {"type": "string", "pattern": f"^/api/v2/users/{UUID_PATTERN[1:]}"},
}
ETAG_HEADER = {"required": True, "schema": {"type": "string", "pattern": '^"[^"]+"$'}}
USER_RESPONSE = {
    "description": "The user.",
    "headers": {**standard_response_headers(), "ETag": ETAG_HEADER},
}
IF_MATCH_MAX = 256
IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag last read; `*` matches any current version.",
    "schema": {"type": "string", "minLength": 1, "maxLength": IF_MATCH_MAX},
}


def changes_from(body: UserV2Update) -> service.UserChanges:
    return service.UserChanges(
        email=body.email,
        full_name=body.name,
        password=body.password,
        status=body.status,
        role=body.role,
    )


def with_etag(response: Response, user: User) -> UserV2:
    response.headers["ETag"] = user.etag
    return UserV2.from_user(user)


@router.post(
    "",
    operation_id="v2_user_create",
    summary="Sign up (no authentication). Enqueues the welcome email.",
    status_code=201,
    response_model=UserV2,
    dependencies=[JSON_MEDIA_TYPE],
    responses={
        201: {
            "description": "Created.",
            "headers": {
                **standard_response_headers(),
                "ETag": ETAG_HEADER,
                "Location": LOCATION_HEADER,
            },
        },
        **problem_responses(400, 409, 413, 415, 422, 503),
    },
    openapi_extra=body_openapi(UserV2Create),
)
async def user_create(
    response: Response,
    sign_up: UserSignUp,
    body: Annotated[UserV2Create, Depends(json_body(UserV2Create))],
) -> UserV2:
    user = await sign_up(
        service.NewUser(email=body.email, full_name=body.name, password=body.password)
    )
    response.headers["Location"] = f"/api/v2/users/{user.public_id}"
    return with_etag(response, user)


@router.get(
    "",
    operation_id="v2_user_list",
    summary="Keyset-paginated users in creation order (admin only).",
    response_model=UserV2Page,
    responses={
        200: {"description": "One page of users.", "headers": standard_response_headers()},
        **problem_responses(400, 401, 403, 422, 503),
    },
)
async def user_list(
    current: CurrentUser,
    query: Annotated[KeysetQuery, Depends(keyset_query)],
    session: SessionDep,
) -> UserV2Page:
    # Check order: 401 (CurrentUser), 422 (keyset_query), then the service: a bad cursor's
    # 400, then 403.
    users, next_cursor = await service.user_list_by_creation(
        session=session,
        actor=current,
        limit=query.limit,
        cursor=query.cursor,
        status=query.status,
        email=query.email,
    )
    return UserV2Page(data=[UserV2.from_user(u) for u in users], next_cursor=next_cursor)


@router.get(
    "/me",
    operation_id="v2_user_me",
    summary="The authenticated user.",
    response_model=UserV2,
    responses={200: USER_RESPONSE, **problem_responses(401, 503)},
)
async def user_me(response: Response, current: CurrentUser) -> UserV2:
    return with_etag(response, current)


@router.get(
    "/{id:user_id}",
    operation_id="v2_user_get",
    summary="One user (self or admin).",
    response_model=UserV2,
    responses={200: USER_RESPONSE, **problem_responses(401, 404, 503)},
)
async def user_get(
    response: Response, raw_id: UserId, current: CurrentUser, session: SessionDep
) -> UserV2:
    target = await service.user_get_visible(
        session=session, actor=current, public_id=parse_v2_id(raw_id)
    )
    return with_etag(response, target)


@router.patch(
    "/{id:user_id}",
    operation_id="v2_user_update",
    summary="Partial update guarded by If-Match (self or admin; `status` and `role` admin only).",
    response_model=UserV2,
    dependencies=[JSON_MEDIA_TYPE],
    responses={
        200: USER_RESPONSE,
        **problem_responses(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503),
    },
    openapi_extra={"parameters": [IF_MATCH_PARAMETER], **body_openapi(UserV2Update)},
)
async def user_update(
    request: Request,
    response: Response,
    raw_id: UserId,
    current: CurrentUser,
    body: Annotated[
        UserV2Update,
        Depends(
            json_body(UserV2Update, header_checks=[max_header_length("If-Match", IF_MATCH_MAX)])
        ),
    ],
    session: SessionDep,
) -> UserV2:
    # If-Match is read here, not declared: its absence is 428 (after 403/404), not a 422.
    target = await service.user_get_visible(
        session=session, actor=current, public_id=parse_v2_id(raw_id)
    )
    updated = await service.user_update(
        session=session,
        actor=current,
        user=target,
        changes=changes_from(body),
        require_if_match=True,
        if_match=request.headers.get("if-match"),
    )
    return with_etag(response, updated)


@router.delete(
    "/{id:user_id}",
    operation_id="v2_user_delete",
    summary="Delete (self or admin).",
    status_code=204,
    response_class=Response,
    responses={
        204: {"description": "Deleted; no body.", "headers": standard_response_headers()},
        **problem_responses(401, 404, 503),
    },
)
async def user_delete(raw_id: UserId, current: CurrentUser, session: SessionDep) -> None:
    target = await service.user_get_visible(
        session=session, actor=current, public_id=parse_v2_id(raw_id)
    )
    await service.user_delete(session=session, user=target)
