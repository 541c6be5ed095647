"""OpenAPI through sanic-ext: operation decorators for this API's conventions, and the spec setup.

The helpers apply sanic-ext's public `openapi` decorators (definition, secured, body, parameter)
and keep every operation's status codes, problem responses and headers uniform. The public
`openapi.response` cannot carry response headers, so responses are written through one private
touch point, `_document_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sanic import Sanic
from sanic_ext import openapi
from sanic_ext.extensions.openapi.builders import OperationStore
from sanic_ext.extensions.openapi.definitions import Component, Response
from sanic_ext.extensions.openapi.types import Schema

from app.core.contract import (
    FORM_MEDIA_TYPE,
    JSON_MEDIA_TYPE,
    PROBLEM_DESCRIPTIONS,
    PROBLEM_MEDIA_TYPE,
)
from app.core.schemas import Problem, ValidationProblem

F = TypeVar("F", bound=Callable[..., Any])
JSON_MEDIA = JSON_MEDIA_TYPE
FORM_MEDIA = FORM_MEDIA_TYPE
PROBLEM_MEDIA = PROBLEM_MEDIA_TYPE
HEADER_REFS = ("X-Request-ID", "X-Content-Type-Options")
V1_HEADER_REFS = ("Deprecation", "Sunset", "Link")

EXTRA_HEADERS = {
    401: ("WWW-Authenticate",),
    429: ("Retry-After",),
}
HEADER_COMPONENTS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The incoming `X-Request-ID` when it matches `[A-Za-z0-9._-]{1,128}`, "
        "else a new UUID4.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"},
    },
    "X-Content-Type-Options": {"required": True, "schema": {"type": "string", "const": "nosniff"}},
    "Cache-Control": {"required": True, "schema": {"type": "string", "const": "no-store"}},
    "WWW-Authenticate": {"required": True, "schema": {"type": "string", "const": "Bearer"}},
    "Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[1-9][0-9]*$"}},
    "ETag": {"required": True, "schema": {"type": "string", "pattern": '^"[^"]+"$'}},
    "Allow": {"required": True, "schema": {"type": "string"}},
    "Deprecation": {"required": True, "schema": {"type": "string", "const": "@1767225600"}},
    "Sunset": {
        "required": True,
        "schema": {"type": "string", "const": "Thu, 01 Jul 2027 00:00:00 GMT"},
    },
    "Link": {
        "required": True,
        "schema": {"type": "string", "const": '</api/v2/users>; rel="successor-version"'},
    },
}


def location(pattern: str) -> dict[str, Any]:
    """The `Location` of a 201, inline as in the contract: its pattern depends on the version."""
    return {
        "Location": {
            "description": "Path of the new user.",
            "required": True,
            "schema": {"type": "string", "pattern": pattern},
        }
    }


class RawSchema(Schema):
    """A JSON schema passed through verbatim (sanic-ext would read a dict as object properties)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._raw = raw

    def serialize(self) -> dict[str, Any]:
        return self._raw


class DocumentedResponse(Response):
    """sanic-ext's Response keeps only the fields it declares; this one also keeps headers."""

    headers: dict[str, Any]


def _document_response(func: Callable[..., Any], status: int, fields: dict[str, Any]) -> None:
    """The one private touch point: the public `openapi.response` keeps only content,
    description and status, and every answer of this API documents its headers."""
    operation = OperationStore()[func]  # type: ignore[no-untyped-call]
    operation.responses[str(status)] = DocumentedResponse(**fields)


def ref(model: type[BaseModel]) -> Any:
    return Component(model)


def _headers(names: tuple[str, ...]) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def operation(
    operation_id: str,
    *,
    tag: str,
    summary: str,
    deprecated: bool = False,
    public: bool = False,
) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        func = openapi.definition(
            operation=operation_id, summary=summary, tag=tag, deprecated=deprecated
        )(func)
        return func if public else openapi.secured("OAuth2Password")(func)

    return decorate


def responds(
    status: int,
    description: str,
    model: type[BaseModel] | None = None,
    *,
    headers: tuple[str, ...] = (),
    inline_headers: dict[str, Any] | None = None,
    v1: bool = False,
    media: str = JSON_MEDIA,
) -> Callable[[F], F]:
    """`headers` name components under `#/components/headers`; `inline_headers` are written out."""
    names = (*headers, *HEADER_REFS, *(V1_HEADER_REFS if v1 else ()))

    def decorate(func: F) -> F:
        documented = {**(inline_headers or {}), **_headers(names)}
        fields: dict[str, Any] = {"description": description, "headers": documented}
        if model is not None:
            fields["content"] = {media: {"schema": ref(model)}}
        _document_response(func, status, fields)
        return func

    return decorate


def problems(*statuses: int, v1: bool = False, headers: tuple[str, ...] = ()) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for status in statuses:
            model = ValidationProblem if status == 422 else Problem
            extra = (*EXTRA_HEADERS.get(status, ()), *headers)
            func = responds(
                status,
                PROBLEM_DESCRIPTIONS[status],
                model,
                headers=extra,
                v1=v1,
                media=PROBLEM_MEDIA,
            )(func)
        return func

    return decorate


def body(model: type[BaseModel], *, media: str = JSON_MEDIA) -> Callable[[F], F]:
    return openapi.body({media: {"schema": ref(model)}}, required=True)


def parameter(
    name: str,
    schema: dict[str, Any],
    location: str,
    *,
    required: bool = False,
    description: str = "",
) -> Callable[[F], F]:
    raw = RawSchema(schema)
    if description:
        return openapi.parameter(name, raw, location, required=required, description=description)
    return openapi.parameter(name, raw, location, required=required)


def query_parameters(model: type[BaseModel]) -> Callable[[F], F]:
    """Document every field of a query model as an optional query parameter."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.get("$defs", {})

    def decorate(func: F) -> F:
        for name, prop in schema["properties"].items():
            prop = dict(prop)
            prop.pop("title", None)
            if "anyOf" in prop:  # `X | None`: the parameter is optional, not nullable
                prop |= next(p for p in prop.pop("anyOf") if p.get("type") != "null")
            if "$ref" in prop:
                prop = {**defs[prop["$ref"].rsplit("/", 1)[1]]}
                prop.pop("title", None)
            description = prop.pop("description", "")
            func = parameter(name, prop, "query", description=description)(func)
        return func

    return decorate


def setup_openapi(app: Sanic[Any, Any]) -> None:
    spec = app.ext.openapi
    spec.describe(
        "Users API",
        "2.0.0",
        description="One versioned users API. Every 4xx/5xx is `application/problem+json`.",
    )
    spec.license("MIT")
    spec.add_security_scheme(
        "OAuth2Password",
        "oauth2",
        description="HS256 JWT; claims `sub` (internal user id), `iat`, `exp`, `jti`.",
        flows={"password": {"tokenUrl": "/api/v2/auth/token", "scopes": {}}},
    )
    for name, header in HEADER_COMPONENTS.items():
        spec.add_component("headers", name, header)
    for name, description in (
        ("health", "Liveness and readiness (unversioned)."),
        ("auth", "OAuth2 password grant issuing HS256 JWT bearer tokens."),
        ("users-v1", "Deprecated since 2026-01-01, sunset 2027-07-01. Sequential integer ids."),
        ("users-v2", "Current. UUID ids, keyset pagination, ETag / If-Match."),
    ):
        spec.tag(name, description)
