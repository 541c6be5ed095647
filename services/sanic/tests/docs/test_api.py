"""GET /docs (self-hosted Swagger UI) and GET /openapi.json (generated from the routes)."""

from __future__ import annotations

import re
from typing import Any

from sanic import Sanic

USERS_PATHS = {"/users", "/users/{id}", "/users/me", "/auth/token"}


async def test_swagger_ui_is_served_locally(app: Sanic[Any, Any]) -> None:
    _, page = await app.asgi_client.get("/docs")
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert not re.search(r"(src|href)=\"https?:", page.text)  # no CDN
    assets = re.findall(r"(?:src|href)=\"(/docs/assets/[^\"]+)\"", page.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    served = ""
    for asset in assets:
        _, resp = await app.asgi_client.get(asset)
        assert resp.status == 200, asset
        assert resp.body, asset
        served += resp.text if asset.endswith(".js") else ""
    assert 'url: "/openapi.json"' in page.text + served  # the UI loads the local document


def resolve(spec: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


async def test_openapi_json_is_a_valid_document_with_both_versions(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.get("/openapi.json")
    assert resp.status == 200
    spec = resp.json
    assert spec["openapi"].startswith("3.")  # sanic-ext emits 3.0.3 (README)
    assert spec["info"]["title"]
    assert spec["info"]["version"]
    paths = set(spec["paths"])
    assert {f"/api/v1{p}" for p in USERS_PATHS} | {f"/api/v2{p}" for p in USERS_PATHS} <= paths
    assert {"/health", "/ready"} <= paths
    assert "/docs" not in paths
    assert "/openapi.json" not in paths
    for ref in refs(spec):  # every $ref points at something that exists
        assert resolve(spec, ref) is not None, ref
    operation_ids = [
        op["operationId"] for item in spec["paths"].values() for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]  # fmt: skip
    assert len(operation_ids) == len(set(operation_ids))


async def test_openapi_lists_the_contract_operations(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.get("/openapi.json")
    assert resp.status == 200
    paths = resp.json["paths"]
    patch = paths["/api/v2/users/{id}"]["patch"]
    assert patch["operationId"] == "v2_user_update"
    assert {"412", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert "head" not in paths["/health"]
    _, docs = await app.asgi_client.get("/docs")
    assert "/docs/assets/swagger-ui-bundle.js" in docs.text
    _, asset = await app.asgi_client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status == 200
