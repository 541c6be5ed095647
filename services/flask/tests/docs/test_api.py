"""GET /docs (self-hosted Swagger UI) and GET /openapi.json (generated from the views)."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

USERS_PATHS = {"/users", "/users/{id}", "/users/me", "/auth/token"}


def test_swagger_ui_is_served_locally(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.content_type.startswith("text/html")
    assert b"/docs/assets/js/swagger-ui-bundle.js" in page.data
    assert b'url: "/openapi.json"' in page.data
    assert not re.search(rb"(src|href)=\"https?:", page.data)  # no CDN
    for asset in re.findall(rb"(?:src|href)=\"(/docs/assets/[^\"]+)\"", page.data):
        resp = client.get(asset.decode())
        assert resp.status_code == 200, asset
        assert len(resp.data) > 1000
        resp.close()


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


def test_openapi_json_is_a_3_1_document_with_both_versions(client: FlaskClient) -> None:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200
    spec = resp.get_json()
    assert spec["openapi"].startswith("3.1.")
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
    for item in spec["paths"].values():
        for op in item.values():
            for code in op["responses"]:
                assert re.fullmatch(r"[1-5][0-9][0-9]", code), code


def test_openapi_carries_the_contracts_details(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    patch = spec["paths"]["/api/v2/users/{id}"]["patch"]
    params = {(p["in"], p["name"]): p for p in patch["parameters"]}
    assert params[("header", "If-Match")]["required"] is True
    assert sorted(patch["responses"]) == sorted(
        ["200", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "503"]
    )
    assert "422" not in spec["paths"]["/health"]["get"]["responses"]
    assert spec["paths"]["/api/v1/users"]["post"]["security"] == []
    assert spec["paths"]["/api/v1/users"]["post"].get("deprecated") is True
