"""GET /docs: Swagger UI over /openapi.json, assets served from the swagger-ui-bundle package."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html
from sanic_ext import openapi
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("docs")
ASSETS = "/docs/assets"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Users API (Sanic) - Swagger UI</title>
  <link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{ASSETS}/swagger-ui-bundle.js"></script>
  <script src="{ASSETS}/swagger-ui-standalone-preset.js"></script>
  <script src="{ASSETS}/docs-init.js"></script>
</body>
</html>
"""
INIT_JS = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
"""


@bp.get("/docs")
@openapi.exclude()
async def docs(request: Request) -> HTTPResponse:
    return html(PAGE)


@bp.get(f"{ASSETS}/docs-init.js")
@openapi.exclude()
async def docs_init(request: Request) -> HTTPResponse:
    return HTTPResponse(INIT_JS, content_type="application/javascript; charset=utf-8")


bp.static(ASSETS, swagger_ui_path, name="swagger_assets")
