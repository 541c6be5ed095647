"""Request bodies as dependencies, checked in the contract's order.

Route-level `dependencies=[JSON_MEDIA_TYPE]` answer 415 before authentication runs; the body
dependency itself is declared after `CurrentUser`, so 401 comes before 400 and 422. FastAPI
would parse a declared body before any dependency, which is why bodies are not declared the
usual way; `body_openapi()` documents them instead.
"""

import re
from collections.abc import Awaitable, Callable, Sequence
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from pydantic import BaseModel

from app.core.errors import FieldError, MalformedRequest, UnsupportedMediaType, ValidationFailed
from app.core.validation import parse_json, validate_body

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# parse_qsl keeps "%zz" literally; the contract calls such a form unparseable.
BAD_PERCENT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def media_type(request: Request) -> str | None:
    raw = request.headers.get("content-type")
    if raw is None:
        return None
    message = Message()
    message["content-type"] = raw
    return message.get_content_type().lower()


def require_media_type(expected: str) -> Any:
    async def check(request: Request) -> None:
        # No content and no Content-Type: there is no media type to refuse, and the parser
        # decides (an empty JSON body is 400; an empty form is simply missing its fields).
        if request.headers.get("content-type") is None and not await request.body():
            return
        if media_type(request) != expected:
            detail = f"Content-Type must be {expected}"
            raise UnsupportedMediaType(detail)

    return Depends(check)


JSON_MEDIA_TYPE = require_media_type(JSON)
FORM_MEDIA_TYPE = require_media_type(FORM)


HeaderCheck = Callable[[Request], list[FieldError]]


def json_body[M: BaseModel](
    model: type[M], *, header_checks: Sequence[HeaderCheck] = ()
) -> Callable[[Request], Awaitable[M]]:
    """The parsed body; header rules of the operation are reported in the same 422."""

    async def dependency(request: Request) -> M:
        data = parse_json(await request.body())
        header_errors = [error for check in header_checks for error in check(request)]
        try:
            body = validate_body(model, data)
        except ValidationFailed as exc:
            raise ValidationFailed([*exc.errors, *header_errors]) from exc
        if header_errors:
            raise ValidationFailed(header_errors)
        return body

    return dependency


def max_header_length(name: str, limit: int) -> HeaderCheck:
    def check(request: Request) -> list[FieldError]:
        value = request.headers.get(name)
        if value is not None and len(value) > limit:
            return [FieldError("header", name, "too_long", f"at most {limit} characters")]
        return []

    return check


def form_body[M: BaseModel](model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """urlencoded form; a key given twice is `invalid` (the contract's rule)."""

    async def dependency(request: Request) -> M:
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
            if BAD_PERCENT_ESCAPE.search(text):
                raise ValueError("invalid percent-escape")
            pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError) as exc:
            raise MalformedRequest() from exc
        data: dict[str, str] = {}
        duplicates: list[FieldError] = []
        for key, value in pairs:
            if key in data and key in model.model_fields:
                duplicates.append(FieldError("body", key, "invalid", "given more than once"))
            data.setdefault(key, value)
        try:
            result = validate_body(model, data)
        except ValidationFailed as exc:
            raise ValidationFailed([*exc.errors, *duplicates]) from exc
        if duplicates:
            raise ValidationFailed(duplicates)
        return result

    return dependency


def body_openapi(model: type[BaseModel], media: str = JSON) -> dict[str, Any]:
    """`openapi_extra` for an operation whose body is parsed by a dependency above."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {media: {"schema": ref}}}}
