"""The OpenAPI document (generated from the routes) and a self-hosted Swagger UI."""

from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from app.core.contract import PROBLEM_DESCRIPTIONS, V1_HEADERS

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SWAGGER_UI_STATIC = "/static/swagger-ui"


class FieldErrorSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", title="FieldError", populate_by_name=True)
    in_: Literal["body", "query", "path", "header"] = Field(alias="in")
    field: str
    code: Literal["required", "invalid", "too_short", "too_long", "out_of_range", "unknown_field"]
    message: str


class Checks(BaseModel):
    model_config = ConfigDict(extra="forbid")
    database: Literal["ok", "error"]
    broker: Literal["ok", "error"]


class Problem(BaseModel):
    """RFC 9457 problem details. `detail` never contains exception text."""

    model_config = ConfigDict(extra="forbid")
    type: str = Field(pattern=r"^/problems/[a-z-]+$")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str
    request_id: str
    errors: list[FieldErrorSchema] | SkipJsonSchema[None] = None
    checks: Checks | SkipJsonSchema[None] = None


class ValidationProblem(Problem):
    errors: list[FieldErrorSchema] = Field(min_length=1)


def _header(const: str | None = None, pattern: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if const is not None:
        schema["const"] = const
    if pattern is not None:
        schema["pattern"] = pattern
    return {"required": True, "schema": schema}


def standard_response_headers(*, v1: bool = False, token: bool = False) -> dict[str, Any]:
    headers = {
        "X-Request-ID": _header(pattern="^[A-Za-z0-9._-]{1,128}$"),
        "X-Content-Type-Options": _header("nosniff"),
    }
    if token:
        headers["Cache-Control"] = _header("no-store")
    if v1:
        headers |= {name: _header(value) for name, value in V1_HEADERS.items()}
    return headers


def problem_responses(
    *statuses: int, v1: bool = False, token: bool = False
) -> dict[int | str, Any]:
    """`responses=` entries for the problem+json answers an operation can give."""
    result: dict[int | str, Any] = {}
    for status in statuses:
        schema = "ValidationProblem" if status == 422 else "Problem"
        headers = standard_response_headers(v1=v1, token=token and status in (401, 429))
        if status == 401:
            headers["WWW-Authenticate"] = _header("Bearer")
        if status == 429:
            headers["Retry-After"] = _header(pattern="^[1-9][0-9]*$")
        result[status] = {
            "description": PROBLEM_DESCRIPTIONS[status],
            "headers": headers,
            "content": {
                "application/problem+json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
            },
        }
    return result


def build_openapi(app: FastAPI, *, extra_models: list[type[BaseModel]]) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        separate_input_output_schemas=False,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    models: list[type[BaseModel]] = [Problem, ValidationProblem, *extra_models]
    for model in models:
        model_schema = model.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}"
        )
        components.update(model_schema.pop("$defs", {}))
        components[model.__name__] = model_schema
    # FastAPI documents its own 422 shape on every operation with parameters; ours is a
    # problem+json declared per operation, so drop the defaults it added.
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            response = operation.get("responses", {}).get("422", {})
            ref = str(response.get("content", {}).get("application/json", {}).get("schema", {}))
            if "HTTPValidationError" in ref:
                del operation["responses"]["422"]
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema


def mount_docs(app: FastAPI) -> None:
    """Swagger UI from files shipped in the package (no CDN), at /docs."""
    app.mount(
        SWAGGER_UI_STATIC, StaticFiles(directory=STATIC_DIR / "swagger-ui"), name="swagger-ui"
    )

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url="/docs/oauth2-redirect",
            swagger_js_url=f"{SWAGGER_UI_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_UI_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_UI_STATIC}/favicon-32x32.png",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
