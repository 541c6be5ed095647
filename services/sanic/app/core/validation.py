"""Request parsing and validation: pydantic errors mapped to the contract's errors[] codes (§3)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError
from sanic import Request
from sanic_ext import validate

from app.core.contract import MAX_JSON_DEPTH
from app.core.errors import (
    ErrorCode,
    ErrorLocation,
    FieldError,
    MalformedRequest,
    ValidationFailed,
)

CODES = {"required", "invalid", "too_short", "too_long", "out_of_range", "unknown_field"}
_TYPE_TO_CODE = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
}
INTEGER = re.compile(r"-?[0-9]+")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate escape (\ud800) raises here
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


def json_depth(value: Any) -> int:
    """How many objects and arrays deep; level by level, so no recursion limit applies."""
    depth = 0
    level = [value]
    while containers := [v for v in level if isinstance(v, dict | list)]:
        depth += 1
        level = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)]
    return depth


def strict_json_loads(data: str | bytes) -> Any:
    """Sanic's `loads`: strict UTF-8, no NaN/Infinity, no lone surrogates, at most
    MAX_JSON_DEPTH levels (contract §3). Sanic answers any error raised here as a 400."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    value = json.loads(text, parse_constant=_reject_constant)
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    _check_text(value)
    return value


def field_errors(exc: ValidationError, location: ErrorLocation) -> list[FieldError]:
    """One FieldError per field: the first pydantic error reported for it."""
    seen: dict[str, FieldError] = {}
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"])
        if field in seen:
            continue
        kind = err["type"]
        code = cast(ErrorCode, kind if kind in CODES else _TYPE_TO_CODE.get(kind, "invalid"))
        seen[field] = FieldError(location, field, code, err["msg"])
    return list(seen.values())


def invalid(code: str, message: str) -> PydanticCustomError:
    """Raised inside validators: its type is the contract code."""
    return PydanticCustomError(code, message)


def validate_model[M: BaseModel](
    model: type[M], data: Any, location: ErrorLocation, errors: list[FieldError]
) -> M | None:
    if not isinstance(data, dict):
        errors.append(FieldError(location, "", "invalid", "a JSON object is required"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors.extend(field_errors(exc, location))
        return None


def single_values(
    params: dict[str, list[str]],
    known: Iterable[str],
    location: ErrorLocation,
    errors: list[FieldError],
) -> dict[str, str]:
    """Known keys given once; a known key given twice is `invalid`; unknown keys are ignored."""
    values: dict[str, str] = {}
    for key in known:
        given = params.get(key)
        if not given:
            continue
        if len(given) > 1:
            errors.append(FieldError(location, key, "invalid", "given more than once"))
        else:
            values[key] = given[0]
    return values


def json_body(
    model: type[BaseModel],
    *,
    extra: Callable[[Request, list[FieldError]], None] | None = None,
) -> Callable[..., None]:
    """A sanic-ext `@validate(json=...)` validator: 400 when unparsable, else 422 with every error.

    The validated model is passed to the handler as `body`; `extra` adds header/query checks so
    that all errors are reported together.
    """

    def validator(*, request: Request, data: Any, handler_kwargs: dict[str, Any]) -> None:
        if not request.body:
            raise MalformedRequest()
        errors: list[FieldError] = []
        body = validate_model(model, data, "body", errors)
        if extra is not None:
            extra(request, errors)
        if errors:
            raise ValidationFailed(errors)
        handler_kwargs["body"] = body

    return validator


def query_params(model: type[BaseModel]) -> Callable[..., None]:
    """A sanic-ext `@validate(query=...)` validator over the model's fields, passed as `query`."""
    names = list(model.model_fields)

    def validator(*, request: Request, data: Any, handler_kwargs: dict[str, Any]) -> None:
        errors: list[FieldError] = []
        raw = request.get_args(keep_blank_values=True)
        values = single_values(dict(raw), names, "query", errors)
        bad = {e.field for e in errors}
        query = validate_model(
            model, {k: v for k, v in values.items() if k not in bad}, "query", errors
        )
        if errors:
            raise ValidationFailed(errors)
        handler_kwargs["query"] = query

    return validator


Validator = Callable[..., None]


def validated[F: Callable[..., Any]](
    *, json: Validator | None = None, query: Validator | None = None, form: Validator | None = None
) -> Callable[[F], F]:
    """sanic-ext's `@validate` with callable validators (its stubs only admit `(request) -> bool`;
    at run time it calls them with `request`, `data` and `handler_kwargs`)."""
    decorator = validate(json=cast(Any, json), query=cast(Any, query), form=cast(Any, form))
    return cast(Callable[[F], F], decorator)
