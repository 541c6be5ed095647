"""GET /docs: Swagger UI over /openapi.json, assets served from the swagger-ui-bundle package."""

from __future__ import annotations

from typing import Any

from sanic import Request, Sanic
from sanic.response import HTTPResponse, html
from swagger_ui_bundle import swagger_ui_path

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


async def docs(request: Request) -> HTTPResponse:
    return html(PAGE)


async def docs_init(request: Request) -> HTTPResponse:
    return HTTPResponse(INIT_JS, content_type="application/javascript; charset=utf-8")


def install_docs(app: Sanic[Any, Any]) -> None:
    """Mount the page on sanic-ext's own `openapi` blueprint (the one serving /openapi.json).

    Its bundled UIs load their assets from a CDN and are switched off; registering this page as
    the blueprint's `index` keeps sanic-ext's start-up banner and keeps /docs out of the spec.
    """
    bp = app.blueprints["openapi"]
    bp.add_route(docs, "/docs", name="index", methods=["GET"])
    bp.add_route(docs_init, f"{ASSETS}/docs-init.js", name="docs_init", methods=["GET"])
    bp.static(ASSETS, swagger_ui_path, name="swagger_assets")
