"""/api/v2/users: UUID ids, keyset pagination, ETag / If-Match. Thin views over the service."""

from flask import Response, g
from flask_openapi3 import APIBlueprint, Tag

from app.auth.deps import current_user
from app.core.http import after_response, json_response, no_content, policy
from app.core.openapi import PUBLIC, problems, success
from app.core.requests import JSON
from app.core.validation import raise_deferred_errors
from app.extensions import db
from app.users import ids, service
from app.users.schemas import (
    IfMatchHeader,
    UserV2,
    UserV2Create,
    UserV2ListQuery,
    UserV2Page,
    UserV2Update,
    V2UserPath,
)

users_v2 = APIBlueprint(
    "users_v2",
    __name__,
    url_prefix="/api/v2",
    abp_tags=[
        Tag(name="users-v2", description="Current. UUID ids, keyset pagination, ETag / If-Match.")
    ],
)

LOCATION = "^/api/v2/users/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
USER = success(UserV2, "The user.", "ETag")


@users_v2.post(
    "/users",
    operation_id="v2_user_create",
    summary="Sign up (no authentication). Enqueues the welcome email.",
    openapi_extensions=PUBLIC,
    responses={
        201: success(UserV2, "Created.", "ETag", location=LOCATION),
        **problems(400, 409, 413, 415, 422, 503),
    },
)
@policy(body=JSON)
def user_create(body: UserV2Create) -> Response:
    created = service.user_create(
        session=db.session,
        data=service.NewUser(email=body.email, full_name=body.name, password=body.password),
        request_id=g.request_id,
        after_commit=after_response,
    )
    user = created.user
    headers = {"Location": f"/api/v2/users/{user.public_id}", "ETag": user.etag}
    return json_response(UserV2.from_user(user), 201, headers)


@users_v2.get(
    "/users",
    operation_id="v2_user_list",
    summary="Keyset-paginated users in creation order (admin only).",
    responses={
        200: success(UserV2Page, "One page of users."),
        **problems(400, 401, 403, 422, 503),
    },
)
@policy(auth=True)
def user_list(query: UserV2ListQuery) -> Response:
    users, next_cursor = service.user_list_by_creation(
        session=db.session,
        actor=current_user(),
        limit=query.limit,
        cursor=query.cursor,
        status=query.status,
        email=query.email,
    )
    page = UserV2Page(data=[UserV2.from_user(u) for u in users], next_cursor=next_cursor)
    return json_response(page)


@users_v2.get(
    "/users/me",
    operation_id="v2_user_me",
    summary="The authenticated user.",
    responses={200: USER, **problems(401, 503)},
)
@policy(auth=True)
def user_me() -> Response:
    user = current_user()
    return json_response(UserV2.from_user(user), 200, {"ETag": user.etag})


@users_v2.get(
    "/users/<user_id:id>",
    operation_id="v2_user_get",
    summary="One user (self or admin).",
    responses={200: USER, **problems(401, 404, 503)},
)
@policy(auth=True)
def user_get(path: V2UserPath) -> Response:
    user = service.user_get_visible(
        session=db.session, actor=current_user(), public_id=ids.parse_v2_id(path.id)
    )
    return json_response(UserV2.from_user(user), 200, {"ETag": user.etag})


@users_v2.patch(
    "/users/<user_id:id>",
    operation_id="v2_user_update",
    summary="Partial update guarded by If-Match (self or admin; `status` and `role` admin only).",
    responses={
        200: USER,
        **problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503),
    },
)
@policy(body=JSON, auth=True)
def user_update(path: V2UserPath, header: IfMatchHeader, body: UserV2Update) -> Response:
    raise_deferred_errors()  # an invalid If-Match with a valid body
    session = db.session
    actor = current_user()
    target = service.user_get_visible(
        session=session, actor=actor, public_id=ids.parse_v2_id(path.id)
    )
    changes = service.UserChanges(
        email=body.email,
        full_name=body.name,
        password=body.password,
        status=body.status,
        role=body.role,
    )
    user = service.user_update(
        session=session,
        actor=actor,
        user=target,
        changes=changes,
        if_match=header.if_match,
        require_if_match=True,
    )
    return json_response(UserV2.from_user(user), 200, {"ETag": user.etag})


@users_v2.delete(
    "/users/<user_id:id>",
    operation_id="v2_user_delete",
    summary="Delete (self or admin).",
    responses={204: success(None, "Deleted; no body."), **problems(401, 404, 503)},
)
@policy(auth=True)
def user_delete(path: V2UserPath) -> Response:
    session = db.session
    target = service.user_get_visible(
        session=session, actor=current_user(), public_id=ids.parse_v2_id(path.id)
    )
    service.user_delete(session=session, user=target)
    return no_content()
