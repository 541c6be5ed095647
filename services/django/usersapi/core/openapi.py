"""OpenAPI helpers for drf-spectacular: the problem+json schemas, one place to list errors, and
the postprocessing hooks for what the middleware adds to every response."""

from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from usersapi.core.contract import (
    PROBLEM_DESCRIPTIONS,
    PROBLEM_MEDIA_TYPE,
    REQUEST_ID_PATTERN,
    V1_HEADERS,
)
from usersapi.core.errors import ErrorCode, Location

LOCATIONS: list[Location] = ["body", "query", "path", "header"]
CODES: list[ErrorCode] = [
    "required",
    "invalid",
    "too_short",
    "too_long",
    "out_of_range",
    "unknown_field",
]


class CheckResultField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=["ok", "error"], **kwargs)


class ChecksSerializer(serializers.Serializer[dict[str, str]]):
    database = CheckResultField()
    broker = CheckResultField()


class FieldErrorSerializer(serializers.Serializer[dict[str, str]]):
    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        return {  # `in` is a Python keyword, so the fields are built here
            "in": serializers.ChoiceField(choices=LOCATIONS),
            "field": serializers.CharField(
                help_text="Dotted path inside `in`; empty for the body."
            ),
            "code": serializers.ChoiceField(choices=CODES),
            "message": serializers.CharField(help_text="Free text for humans."),
        }


INSTANCE_HELP = "The request path, without the query string."


class ProblemSerializer(serializers.Serializer[dict[str, Any]]):
    """RFC 9457 problem details. `detail` never contains exception text."""

    type = serializers.RegexField(r"^/problems/[a-z-]+$")
    title = serializers.CharField()
    status = serializers.IntegerField(min_value=400, max_value=599)
    detail = serializers.CharField()
    instance = serializers.CharField(help_text=INSTANCE_HELP)  # type: ignore[assignment]
    request_id = serializers.CharField()
    errors = FieldErrorSerializer(many=True, required=False)  # type: ignore[assignment]
    checks = ChecksSerializer(required=False)


class ValidationProblemSerializer(ProblemSerializer):
    errors = serializers.ListField(child=FieldErrorSerializer(), min_length=1)  # type: ignore[assignment]


def problems(*codes: int) -> dict[Any, Any]:
    """`responses=` entries for the given error statuses, all application/problem+json."""
    return {
        (code, PROBLEM_MEDIA_TYPE): OpenApiResponse(
            ValidationProblemSerializer if code == 422 else ProblemSerializer,
            PROBLEM_DESCRIPTIONS[code],
        )
        for code in codes
    }


class ContractAutoSchema(AutoSchema):
    """Operation descriptions come from `@extend_schema` only, never from view docstrings."""

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular signature
        return ""

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        """A body is always required, even where no field is (PATCH): an empty one is a 400."""
        body: dict[str, Any] | None = super()._get_request_body(direction)  # type: ignore[no-untyped-call]
        if body is not None:
            body["required"] = True
        return body


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "usersapi.auth.authentication.BearerAuthentication"
    name = "OAuth2Password"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "HS256 JWT; claims `sub` (internal user id), `iat`, `exp`, `jti`.",
            "flows": {"password": {"tokenUrl": "/api/v2/auth/token", "scopes": {}}},
        }


def close_objects(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Postprocessing hook: every object schema is closed, as the API rejects unknown fields."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        if schema.get("type") == "object" or "properties" in schema:
            schema["additionalProperties"] = False
    return result


def _const(value: str, description: str | None = None) -> dict[str, Any]:
    header: dict[str, Any] = {"required": True, "schema": {"type": "string", "const": value}}
    return {"description": description, **header} if description else header


# The response headers added outside the views: by `RequestContextMiddleware` (every response, and
# every response under /api/v1/) and by the problem responses (`DomainError.headers()`).
HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The incoming `X-Request-ID` when it is well-formed, else a new UUID4.",
        "required": True,
        "schema": {"type": "string", "pattern": f"^{REQUEST_ID_PATTERN.pattern}$"},
    },
    "X-Content-Type-Options": _const("nosniff"),
    "Deprecation": _const(V1_HEADERS["Deprecation"], "RFC 9745 - deprecated since 2026-01-01."),
    "Sunset": _const(V1_HEADERS["Sunset"], "RFC 8594."),
    "Link": _const(V1_HEADERS["Link"]),
    "WWW-Authenticate": _const("Bearer"),
    "Retry-After": {
        "description": "Whole seconds until a login for this email may be tried again.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[1-9][0-9]*$"},
    },
}
EVERY_RESPONSE = ("X-Request-ID", "X-Content-Type-Options")
BY_STATUS = {"401": ("WWW-Authenticate",), "429": ("Retry-After",)}
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def add_response_headers(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Postprocessing hook: the headers the middleware and the problem responses add, on every
    response they are added to (the views declare their own: Location, ETag, Cache-Control)."""
    result.setdefault("components", {})["headers"] = copy.deepcopy(HEADERS)
    for path, item in result.get("paths", {}).items():
        version_headers = tuple(V1_HEADERS) if path.startswith("/api/v1/") else ()
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for status, response in operation.get("responses", {}).items():
                names = (*EVERY_RESPONSE, *version_headers, *BY_STATUS.get(str(status), ()))
                response["headers"] = {
                    **response.get("headers", {}),
                    **{name: {"$ref": f"#/components/headers/{name}"} for name in names},
                }
    return result


def drop_min_length_beside_enum(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Postprocessing hook: drf-spectacular gives a query parameter from a non-blank choice field
    `minLength: 1`, which its `enum` already implies; the contract does not repeat it."""
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if "enum" in schema and schema.get("minLength") == 1:
                    del schema["minLength"]
    return result
