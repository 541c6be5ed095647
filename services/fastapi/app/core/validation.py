"""Explicit request parsing, so the contract's order of checks (401 before 400 before 422) holds.

FastAPI would decode a declared body before running dependencies; these helpers run as
dependencies instead, after authentication, and speak the contract's error codes.
"""

from collections.abc import Sequence
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, from_json

from app.core.contract import MAX_JSON_DEPTH
from app.core.errors import ErrorCode, ErrorLocation, FieldError, MalformedRequest, ValidationFailed

CONTRACT_CODES = frozenset(get_args(ErrorCode))
LOCATIONS = frozenset(get_args(ErrorLocation))

# pydantic's error types -> the contract's codes; custom validators raise contract codes directly.
PYDANTIC_CODES: dict[str, ErrorCode] = {
    "extra_forbidden": "unknown_field",
    "missing": "required",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "too_short": "too_short",
    "too_long": "too_long",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
}


def _code(error_type: str) -> ErrorCode:
    if error_type in CONTRACT_CODES:
        return error_type  # type: ignore[return-value]
    return PYDANTIC_CODES.get(error_type, "invalid")


def field_errors_from_pydantic(
    errors: Sequence[ErrorDetails] | Sequence[dict[str, Any]],
    *,
    location: ErrorLocation | None = None,
) -> list[FieldError]:
    """Map pydantic errors to contract field errors; `loc` may start with its location."""
    result = []
    for error in errors:
        loc = [str(part) for part in error["loc"]]
        where: ErrorLocation = location or "body"
        if location is None and loc and loc[0] in LOCATIONS:
            where = loc.pop(0)  # type: ignore[assignment]
        result.append(
            FieldError(where, ".".join(loc), _code(str(error["type"])), str(error["msg"]))
        )
    return result


def parse_json(raw: bytes) -> Any:
    """Strict JSON: rejects invalid UTF-8, lone surrogates, NaN/Infinity, empty bodies and
    nesting deeper than MAX_JSON_DEPTH (contract §3 "Transport limits")."""
    try:
        data = from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise MalformedRequest() from exc
    if json_depth(data) > MAX_JSON_DEPTH:
        raise MalformedRequest()
    return data


def json_depth(value: Any) -> int:
    """How many objects and arrays deep; level by level, so no recursion limit applies."""
    depth = 0
    level = [value]
    while containers := [v for v in level if isinstance(v, dict | list)]:
        depth += 1
        level = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)]
    return depth


def validate_body[M: BaseModel](model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors_from_pydantic(exc.errors(), location="body")) from exc
