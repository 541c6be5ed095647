"""Request models and the mapping of pydantic errors to the contract's `errors[]` codes (§3).

The request model bases, and the mapping of pydantic errors to `FieldError`s. The users'
field types, which raise the contract's own codes, are in `app/users/fields.py`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, cast

from flask import g, has_request_context, request
from pydantic import (
    BaseModel,
    ConfigDict,
    PlainValidator,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.errors import ErrorCode, ErrorLocation, FieldError, ValidationFailed

INTEGER_RE = re.compile(r"^-?[0-9]+\Z")
MAX_INT64 = 2**63 - 1


def fail(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def query_integer(*, minimum: int, maximum: int) -> Any:
    def check(value: object) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and INTEGER_RE.match(value):
            number = int(value)
        else:
            raise fail("invalid", "must be an integer")
        if not minimum <= number <= maximum:
            raise fail("out_of_range", f"must be between {minimum} and {maximum}")
        return number

    return PlainValidator(check)


def clean_schema(schema: dict[str, Any]) -> None:
    """Generated schemas say what the contract says: no pydantic titles, no `default: null`."""
    schema.pop("title", None)
    for name, prop in schema.get("properties", {}).items():
        prop.pop("title", None)
        if "default" in prop and prop["default"] is None:
            del prop["default"]
            # An optional member is "may be absent", not "may be null".
            options = [o for o in prop.get("anyOf", []) if o != {"type": "null"}]
            if len(options) == 1 and len(prop["anyOf"]) == 2:
                del prop["anyOf"]
                schema["properties"][name] = {**options[0], **prop}


_LOCATIONS: dict[str, str] = {}


class _RequestModel(BaseModel):
    location: ClassVar[str] = "body"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _LOCATIONS[cls.__name__] = cls.location


class BodyModel(_RequestModel):
    """A JSON request body: unknown keys are rejected (no mass assignment)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)


class Repeated:
    """Marks a query parameter sent more than once; every field validator rejects it."""


class QueryModel(_RequestModel):
    """Query string: unknown parameters are ignored, a known one given twice is invalid."""

    location = "query"
    model_config = ConfigDict(extra="ignore", json_schema_extra=clean_schema)

    @model_validator(mode="before")
    @classmethod
    def _mark_repeated(cls, data: Any) -> Any:
        # flask-openapi3 hands over only the first value; the raw MultiDict knows the rest.
        if has_request_context() and isinstance(data, dict):
            for name in cls.model_fields:
                if len(request.args.getlist(name)) > 1:
                    data[name] = Repeated()
        return data


class HeaderModel(_RequestModel):
    location = "header"
    model_config = ConfigDict(extra="ignore", json_schema_extra=clean_schema)


_CODES: dict[str, ErrorCode] = {"missing": "required", "extra_forbidden": "unknown_field"}
_CONTRACT_CODES: set[str] = {
    "required", "invalid", "too_short", "too_long", "out_of_range", "unknown_field",
}  # fmt: skip


def field_errors(exc: ValidationError, location: ErrorLocation) -> list[FieldError]:
    """One entry per field (its first failing rule), in the contract's shape."""
    errors = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"])
        code = _CODES.get(error["type"], error["type"])
        errors.append(
            FieldError(
                location,
                field,
                cast(ErrorCode, code) if code in _CONTRACT_CODES else "invalid",
                error["msg"],
            )
        )
    return errors


def defer_error(location: ErrorLocation, field: str, code: ErrorCode, message: str) -> None:
    """flask-openapi3 stops at the first failing part (header before body), but the contract
    wants every error of the request at once: a header rule records its error here instead of
    raising, and the body's errors (or `raise_deferred_errors`) pick it up."""
    g.setdefault("deferred_errors", []).append(FieldError(location, field, code, message))


def raise_deferred_errors() -> None:
    errors = g.pop("deferred_errors", [])
    if errors:
        raise ValidationFailed(errors)


def validation_error_callback(exc: ValidationError) -> None:
    """flask-openapi3 calls this with the first failing part; answer the contract's 422."""
    location = cast(ErrorLocation, _LOCATIONS.get(exc.title, "body"))
    raise ValidationFailed(field_errors(exc, location) + g.pop("deferred_errors", []))


def validate(model: type[BaseModel], data: Any, location: ErrorLocation) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors(exc, location)) from None
