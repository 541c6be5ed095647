"""OpenAPI helpers for drf-spectacular: the problem+json schemas and one place to list errors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from usersapi.core.errors import ErrorCode, Location
from usersapi.core.problems import PROBLEM_CONTENT_TYPE

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
    errors = FieldErrorSerializer(many=True)


DESCRIPTIONS = {
    400: "Body (or v2 cursor) does not parse.",
    401: "Missing or invalid bearer token, or wrong credentials.",
    403: "A non-admin asked for an admin-only operation or field.",
    404: "No such user visible to the caller.",
    409: "The email is taken.",
    412: "If-Match does not match the current ETag.",
    413: "Body over 65536 bytes.",
    415: "Missing or wrong Content-Type.",
    422: "One entry in `errors` per invalid field.",
    428: "If-Match is missing.",
    429: "Too many failed logins for this email.",
    503: "A dependency is unavailable.",
}


def problems(*codes: int) -> dict[Any, Any]:
    """`responses=` entries for the given error statuses, all application/problem+json."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ValidationProblemSerializer if code == 422 else ProblemSerializer, DESCRIPTIONS[code]
        )
        for code in codes
    }


class ContractAutoSchema(AutoSchema):
    """Operation descriptions come from `@extend_schema` only, never from view docstrings."""

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular signature
        return ""


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "usersapi.authn.authentication.BearerAuthentication"
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
