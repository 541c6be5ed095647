"""OpenAPI generated from code: flask-openapi3 reads the pydantic models on the views; this
module adds what a pydantic model cannot say (problem responses, response headers)."""

from __future__ import annotations

from typing import Any, Literal

from flask_openapi3 import OpenAPI
from pydantic import BaseModel, ConfigDict, Field

from app.core.contract import PROBLEM_DESCRIPTIONS
from app.core.validation import clean_schema

REF = "#/components/schemas/"


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)

    in_: Literal["body", "query", "path", "header"] = Field(alias="in")
    field: str = Field(description="Dotted path inside `in`; empty for the whole body.")
    code: Literal["required", "invalid", "too_short", "too_long", "out_of_range", "unknown_field"]
    message: str = Field(description="Free text for humans; not part of parity.")


class Checks(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)

    database: Literal["ok", "error"]
    broker: Literal["ok", "error"]


class Problem(BaseModel):
    """RFC 9457 problem details. `detail` never contains exception text."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)

    type: str = Field(pattern="^/problems/[a-z-]+$")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str = Field(description="The request path, without the query string.")
    request_id: str
    errors: list[FieldError] | None = None
    checks: Checks | None = None


class ValidationProblem(Problem):
    errors: list[FieldError] = Field(min_length=1)


_registry: dict[str, type[BaseModel]] = {"FieldError": FieldError, "Checks": Checks}


def register(model: type[BaseModel]) -> dict[str, str]:
    _registry[model.__name__] = model
    return {"$ref": f"{REF}{model.__name__}"}


def _header(schema: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    header: dict[str, Any] = {"required": True, "schema": schema}
    if description:
        header["description"] = description
    return header


HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": _header(
        {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"},
        "The incoming `X-Request-ID` when it matches `[A-Za-z0-9._-]{1,128}`, else a new UUID4.",
    ),
    "X-Content-Type-Options": _header({"type": "string", "const": "nosniff"}),
    "Cache-Control": _header({"type": "string", "const": "no-store"}),
    "WWW-Authenticate": _header({"type": "string", "const": "Bearer"}),
    "Retry-After": _header({"type": "string", "pattern": "^[1-9][0-9]*$"}),
    "ETag": _header({"type": "string", "pattern": '^"[^"]+"$'}),
    "Deprecation": _header({"type": "string", "const": "@1767225600"}),
    "Sunset": _header({"type": "string", "const": "Thu, 01 Jul 2027 00:00:00 GMT"}),
    "Link": _header({"type": "string", "const": '</api/v2/users>; rel="successor-version"'}),
}


def headers_for(*names: str, v1: bool = False) -> dict[str, Any]:
    chosen = [*names, "X-Request-ID", "X-Content-Type-Options"]
    if v1:
        chosen += ["Deprecation", "Sunset", "Link"]
    return {name: HEADERS[name] for name in chosen}


def success(
    model: type[BaseModel] | None,
    description: str,
    *names: str,
    v1: bool = False,
    location: str | None = None,
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "headers": headers_for(*names, v1=v1)}
    if location:
        response["headers"] = {
            "Location": {
                "description": "Path of the new user.",
                "required": True,
                "schema": {"type": "string", "pattern": location},
            },
            **response["headers"],
        }
    if model is not None:
        response["content"] = {"application/json": {"schema": register(model)}}
    return response


def problems(*statuses: int, v1: bool = False, token: bool = False) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for status in statuses:
        names: list[str] = []
        if status == 401:
            names = ["WWW-Authenticate", "Cache-Control"] if token else ["WWW-Authenticate"]
        elif status == 429:
            names = ["Retry-After", "Cache-Control"]
        schema = register(ValidationProblem if status == 422 else Problem)
        out[status] = {
            "description": PROBLEM_DESCRIPTIONS[status],
            "headers": headers_for(*names, v1=v1),
            "content": {"application/problem+json": {"schema": schema}},
        }
    return out


def security_schemes() -> dict[str, Any]:
    return {
        "OAuth2Password": {
            "type": "oauth2",
            "description": "HS256 JWT; claims `sub` (internal user id), `iat`, `exp`, `jti`.",
            "flows": {"password": {"tokenUrl": "/api/v2/auth/token", "scopes": {}}},
        }
    }


PUBLIC: dict[str, Any] = {"security": []}


class UsersOpenAPI(OpenAPI):
    """flask-openapi3, minus its blanket 422 on every operation: ours lists exactly the
    contract's status codes, and responses carry our own schemas."""

    def generate_spec_json(self) -> None:
        super().generate_spec_json()  # type: ignore[no-untyped-call]
        schemas = self.spec_json.setdefault("components", {}).setdefault("schemas", {})
        for model in list(_registry.values()):
            schema = model.model_json_schema(ref_template=REF + "{model}", by_alias=True)
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        for path_item in self.spec_json["paths"].values():
            for operation in path_item.values():
                response = operation.get("responses", {}).get(self.validation_error_status, {})
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("items", {}).get("$ref", "").endswith("ValidationErrorModel"):
                    del operation["responses"][self.validation_error_status]
        for unused in ("ValidationErrorModel", "Context"):
            schemas.pop(unused, None)
        self.spec_json["security"] = [{"OAuth2Password": []}]
