"""/api/v1/users: deprecated, integer ids, offset pagination. Thin views over the service."""

from flask import Response, g
from flask_openapi3 import APIBlueprint, Tag

from app.auth.deps import current_user
from app.core.http import after_response, json_response, no_content, policy
from app.core.openapi import PUBLIC, problems, success
from app.core.requests import JSON
from app.extensions import db
from app.users import ids, service
from app.users.models import Status
from app.users.schemas import (
    UserV1,
    UserV1Create,
    UserV1ListQuery,
    UserV1Page,
    UserV1Update,
    V1UserPath,
)

users_v1 = APIBlueprint(
    "users_v1",
    __name__,
    url_prefix="/api/v1",
    abp_tags=[
        Tag(
            name="users-v1",
            description="Deprecated since 2026-01-01, sunset 2027-07-01. Sequential integer ids.",
        )
    ],
)

LOCATION = "^/api/v1/users/[1-9][0-9]*$"
USER = success(UserV1, "The user.", v1=True)


@users_v1.post(
    "/users",
    operation_id="v1_user_create",
    summary="Sign up (no authentication). Enqueues the welcome email.",
    deprecated=True,
    openapi_extensions=PUBLIC,
    responses={
        201: success(UserV1, "Created.", v1=True, location=LOCATION),
        **problems(400, 409, 413, 415, 422, 503, v1=True),
    },
)
@policy(body=JSON)
def user_create(body: UserV1Create) -> Response:
    created = service.user_create(
        session=db.session,
        data=service.NewUser(email=body.email, full_name=body.full_name, password=body.password),
        request_id=g.request_id,
        after_commit=after_response,
    )
    user = created.user
    return json_response(UserV1.from_user(user), 201, {"Location": f"/api/v1/users/{user.id}"})


@users_v1.get(
    "/users",
    operation_id="v1_user_list",
    summary="List users ordered by id (admin only).",
    deprecated=True,
    responses={
        200: success(UserV1Page, "One page of users.", v1=True),
        **problems(401, 403, 422, 503, v1=True),
    },
)
@policy(auth=True)
def user_list(query: UserV1ListQuery) -> Response:
    users, total = service.user_list_by_id(
        session=db.session, actor=current_user(), offset=query.offset, limit=query.limit
    )
    page = UserV1Page(
        items=[UserV1.from_user(u) for u in users],
        total=total,
        offset=query.offset,
        limit=query.limit,
    )
    return json_response(page)


@users_v1.get(
    "/users/me",
    operation_id="v1_user_me",
    summary="The authenticated user.",
    deprecated=True,
    responses={200: USER, **problems(401, 503, v1=True)},
)
@policy(auth=True)
def user_me() -> Response:
    return json_response(UserV1.from_user(current_user()))


@users_v1.get(
    "/users/<user_id:id>",
    operation_id="v1_user_get",
    summary="One user (self or admin).",
    deprecated=True,
    responses={200: USER, **problems(401, 404, 503, v1=True)},
)
@policy(auth=True)
def user_get(path: V1UserPath) -> Response:
    user = service.user_get_visible(
        session=db.session, actor=current_user(), user_id=ids.parse_v1_id(path.id)
    )
    return json_response(UserV1.from_user(user))


@users_v1.patch(
    "/users/<user_id:id>",
    operation_id="v1_user_update",
    summary="Partial update (self or admin; `is_active` admin only). An empty object is a no-op.",
    deprecated=True,
    responses={200: USER, **problems(400, 401, 403, 404, 409, 413, 415, 422, 503, v1=True)},
)
@policy(body=JSON, auth=True)
def user_update(path: V1UserPath, body: UserV1Update) -> Response:
    session = db.session
    actor = current_user()
    target = service.user_get_visible(
        session=session, actor=actor, user_id=ids.parse_v1_id(path.id)
    )
    # v1's is_active is v2's status.
    status = (
        None if body.is_active is None else Status.ACTIVE if body.is_active else Status.DISABLED
    )
    changes = service.UserChanges(
        email=body.email, full_name=body.full_name, password=body.password, status=status
    )
    user = service.user_update(session=session, actor=actor, user=target, changes=changes)
    return json_response(UserV1.from_user(user))


@users_v1.delete(
    "/users/<user_id:id>",
    operation_id="v1_user_delete",
    summary="Delete (self or admin).",
    deprecated=True,
    responses={
        204: success(None, "Deleted; no body.", v1=True),
        **problems(401, 404, 503, v1=True),
    },
)
@policy(auth=True)
def user_delete(path: V1UserPath) -> Response:
    session = db.session
    target = service.user_get_visible(
        session=session, actor=current_user(), user_id=ids.parse_v1_id(path.id)
    )
    service.user_delete(session=session, user=target)
    return no_content()
