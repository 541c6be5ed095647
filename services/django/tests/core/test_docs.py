"""GET /docs (Swagger UI from drf-spectacular-sidecar, served locally) and GET /openapi.json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import drf_spectacular
import jsonschema  # type: ignore[import-untyped]
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

USERS_PATHS = {"/users", "/users/{id}", "/users/me", "/auth/token"}
OAS_3_1_SCHEMA = Path(drf_spectacular.__file__).parent / "validation" / "openapi_3_1_schema.json"


def test_swagger_ui_is_served_locally(client: Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert '"/openapi.json"' in html
    assert not re.search(r"(src|href)=\"https?:", html)  # no CDN
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert any(a.endswith("/swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        resp = client.get(asset)
        assert resp.status_code == 200, asset
        assert len(b"".join(resp.streaming_content)) > 500  # type: ignore[attr-defined]
        resp.close()


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def resolve(spec: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_openapi_json_is_a_valid_3_1_document_with_both_versions(client: Client) -> None:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")
    spec = resp.json()
    jsonschema.validate(spec, json.loads(OAS_3_1_SCHEMA.read_text()))
    assert spec["openapi"].startswith("3.1.")
    paths = set(spec["paths"])
    assert {f"/api/v1{p}" for p in USERS_PATHS} | {f"/api/v2{p}" for p in USERS_PATHS} <= paths
    assert {"/health", "/ready"} <= paths
    assert "/docs" not in paths
    assert "/openapi.json" not in paths
    for ref in refs(spec):
        assert resolve(spec, ref) is not None, ref
    operation_ids = [
        op["operationId"] for item in spec["paths"].values() for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]  # fmt: skip
    assert len(operation_ids) == len(set(operation_ids))


def test_openapi_carries_the_contracts_details(client: Client) -> None:
    spec = client.get("/openapi.json").json()
    patch = spec["paths"]["/api/v2/users/{id}"]["patch"]
    params = {(p["in"], p["name"]): p for p in patch["parameters"]}
    assert params[("header", "If-Match")]["required"] is True
    assert {"412", "428"} <= set(patch["responses"])
    assert "application/problem+json" in patch["responses"]["412"]["content"]
    assert spec["paths"]["/api/v1/users"]["post"].get("deprecated") is True
    for schema in spec["components"]["schemas"].values():  # every object schema is closed
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, schema
