"""POST /api/v{1,2}/auth/token: the OAuth2 password grant, one blueprint per version."""

from typing import Any

from flask import Response, current_app, g
from flask_openapi3 import APIBlueprint, Tag

from app.auth import service
from app.auth.schemas import Token, TokenRequest
from app.core.http import json_response, policy
from app.core.openapi import problems, register, success
from app.core.requests import FORM
from app.core.validation import validate
from app.extensions import db

AUTH_TAG = Tag(name="auth", description="OAuth2 password grant issuing HS256 JWT bearer tokens.")

token_v1 = APIBlueprint("auth_v1", __name__, url_prefix="/api/v1", abp_tags=[AUTH_TAG])
token_v2 = APIBlueprint("auth_v2", __name__, url_prefix="/api/v2", abp_tags=[AUTH_TAG])


def _operation(*, v1: bool) -> dict[str, Any]:
    return {
        "security": [],
        "requestBody": {
            "required": True,
            "content": {FORM: {"schema": register(TokenRequest)}},
        },
    }


def _responses(*, v1: bool) -> dict[Any, Any]:
    return {
        200: success(Token, "A bearer token.", "Cache-Control", v1=v1),
        **problems(400, 401, 413, 415, 422, 429, 503, v1=v1, token=True),
    }


def _form() -> dict[str, object]:
    """The form as a dict; a key sent twice becomes a list, which every field rejects."""
    form: dict[str, object] = {}
    for key, value in g.form_pairs:
        if key in form:
            previous = form[key]
            form[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            form[key] = value
    return form


def token_issue() -> Response:
    request = validate(TokenRequest, _form(), "body")
    token = service.token_issue(
        session=db.session,
        username=request.username,
        password=request.password,
        settings=current_app.config["SETTINGS"],
    )
    return json_response(
        Token(
            access_token=token.access_token, token_type="bearer", expires_in=token.expires_in
        ).model_dump()
    )


@token_v1.post(
    "/auth/token",
    operation_id="v1_token",
    summary="Exchange email and password for an access token (v1 path).",
    deprecated=True,
    openapi_extensions=_operation(v1=True),
    responses=_responses(v1=True),
)
@policy(body=FORM)
def token_issue_v1() -> Response:
    return token_issue()


@token_v2.post(
    "/auth/token",
    operation_id="v2_token",
    summary="Exchange email and password for an access token.",
    openapi_extensions=_operation(v1=False),
    responses=_responses(v1=False),
)
@policy(body=FORM)
def token_issue_v2() -> Response:
    return token_issue()
