"""POST /api/v{1,2}/auth/token: OAuth2 password grant."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service
from app.auth.schemas import Token, TokenRequest
from app.core import openapi as doc
from app.core.config import Settings
from app.core.contract import FORM_MEDIA_TYPE
from app.core.errors import FieldError, MalformedRequest, ValidationFailed
from app.core.validation import single_values, validate_model, validated

PERCENT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def parse_form(body: bytes) -> dict[str, list[str]]:
    """Strict application/x-www-form-urlencoded: bad escapes or non-UTF-8 bytes are a 400.

    Sanic's parser replaces both silently; the contract wants "does not parse" to say so.
    """
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise MalformedRequest() from exc
    if PERCENT_ESCAPE.search(text):
        raise MalformedRequest()
    params: dict[str, list[str]] = {}
    for pair in filter(None, text.split("&")):
        key, _, value = pair.partition("=")
        try:
            name = unquote_to_bytes(key.replace("+", " ")).decode("utf-8")
            params.setdefault(name, []).append(
                unquote_to_bytes(value.replace("+", " ")).decode("utf-8")
            )
        except UnicodeDecodeError as exc:
            raise MalformedRequest() from exc
    return params


def token_form(*, request: Request, data: Any, handler_kwargs: dict[str, Any]) -> None:
    """sanic-ext form validator: each key once, only the grant's keys, username/password given."""
    params = parse_form(request.body)
    errors: list[FieldError] = []
    known = set(TokenRequest.model_fields)
    values: dict[str, Any] = single_values(params, known, "body", errors)
    bad = {e.field for e in errors}
    values = {k: v for k, v in values.items() if k not in bad}
    values.update({k: v for k, v in params.items() if k not in known})
    form = validate_model(TokenRequest, values, "body", errors)
    if errors:
        raise ValidationFailed(errors)
    handler_kwargs["body"] = form


def auth_blueprint(version: int) -> Blueprint:
    bp = Blueprint(f"auth_v{version}", url_prefix="/auth")
    v1 = version == 1
    headers = ("Cache-Control",)

    @bp.post("/token", ctx_media=FORM_MEDIA_TYPE)
    @doc.operation(
        f"v{version}_token",
        tag="auth",
        summary="Exchange email and password for an access token.",
        deprecated=v1,
        public=True,
    )
    @doc.body(TokenRequest, media=FORM_MEDIA_TYPE)
    @doc.responds(200, "A bearer token.", Token, headers=headers, v1=v1)
    # Every response here is sent with `Cache-Control: no-store` (app.core.http); the contract
    # documents it on the 200, 401 and 429 only, and the document follows the contract.
    @doc.problems(401, 429, v1=v1, headers=headers)
    @doc.problems(400, 413, 415, 422, 503, v1=v1)
    @validated(form=token_form)
    async def token_issue(
        request: Request, body: TokenRequest, session: AsyncSession, settings: Settings
    ) -> HTTPResponse:
        issued = await service.token_issue(
            session=session, settings=settings, username=body.username, password=body.password
        )
        out = Token(
            access_token=issued.access_token, token_type="bearer", expires_in=issued.expires_in
        )
        return json(out.model_dump(mode="json"))

    return bp
