"""The app through sanic-testing's ASGI client: headers, problems, order of checks, OpenAPI."""

from __future__ import annotations

from argparse import Namespace
from typing import Any

from app.core.settings import Settings
from app.main import create_app
from sanic import Sanic
from sanic.worker.loader import AppLoader

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

JSON = {"content-type": "application/json"}


async def token(app: Sanic[Any, Any], email: str, password: str) -> str:
    _, resp = await app.asgi_client.post(
        "/api/v2/auth/token", data={"username": email, "password": password}
    )
    assert resp.status == 200, resp.text
    assert resp.headers["cache-control"] == "no-store"
    return str(resp.json["access_token"])


async def test_sign_up_then_read_through_both_versions(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.post(
        "/api/v1/users",
        json={"email": " Ada@Example.com ", "full_name": " Ada ", "password": "password123"},
        headers={"x-request-id": "req-1"},
    )
    assert resp.status == 201, resp.text
    assert resp.headers["x-request-id"] == "req-1"
    assert resp.headers["deprecation"] == "@1767225600"
    assert resp.headers["location"] == f"/api/v1/users/{resp.json['id']}"
    assert resp.json["email"] == "ada@example.com"
    bearer = {"authorization": f"Bearer {await token(app, 'ada@example.com', 'password123')}"}
    _, me = await app.asgi_client.get("/api/v2/users/me", headers=bearer)
    assert me.status == 200
    assert me.json["name"] == "Ada"
    assert me.headers["etag"] == f'"{me.json["id"]}.1"'


async def test_validation_problem(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.post(
        "/api/v2/users", json={"email": "nope", "name": "", "role": "admin"}
    )
    assert resp.status == 422
    assert resp.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in resp.json["errors"]] == [
        ("email", "invalid"),
        ("name", "too_short"),
        ("password", "required"),
        ("role", "unknown_field"),
    ]
    assert resp.json["detail"] == "4 fields are invalid"


async def test_media_type_comes_before_auth_and_auth_before_parsing(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.patch("/api/v1/users/1", content=b"{", headers={})
    assert resp.status == 415
    _, resp = await app.asgi_client.patch("/api/v1/users/1", content=b"{", headers=JSON)
    assert resp.status == 401
    assert resp.headers["www-authenticate"] == "Bearer"


async def test_head_options_and_me_methods_are_405(app: Sanic[Any, Any]) -> None:
    for method in ("head", "options"):
        _, resp = await getattr(app.asgi_client, method)("/health")
        assert resp.status == 405
        assert resp.headers["allow"] == "GET"
    _, resp = await app.asgi_client.delete("/api/v2/users/me")
    assert resp.status == 405
    assert resp.headers["allow"] == "GET"
    _, resp = await app.asgi_client.put("/api/v2/users/x")
    assert resp.headers["allow"] == "DELETE, GET, PATCH"


async def test_malformed_ids_and_trailing_slash_are_404(app: Sanic[Any, Any]) -> None:
    bearer = {"authorization": f"Bearer {await token(app, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    for path in ("/api/v1/users/01", "/api/v1/users/9223372036854775808", "/api/v2/users/ABC"):
        _, resp = await app.asgi_client.get(path, headers=bearer)
        assert resp.status == 404, path
    _, resp = await app.asgi_client.post("/health/")
    assert resp.status == 404


async def test_v2_patch_needs_if_match(app: Sanic[Any, Any]) -> None:
    bearer = {"authorization": f"Bearer {await token(app, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    _, me = await app.asgi_client.get("/api/v2/users/me", headers=bearer)
    url = f"/api/v2/users/{me.json['id']}"
    _, resp = await app.asgi_client.patch(url, json={"name": "Root"}, headers=bearer)
    assert resp.status == 428
    _, resp = await app.asgi_client.patch(
        url, json={"name": "Root"}, headers=bearer | {"if-match": '"stale.1"'}
    )
    assert resp.status == 412
    _, resp = await app.asgi_client.patch(
        url, json={"name": "Root"}, headers=bearer | {"if-match": me.headers["etag"]}
    )
    assert resp.status == 200
    assert resp.headers["etag"].endswith('.2"')


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


async def test_sanic_cli_builds_the_app_from_the_factory(settings: Settings) -> None:
    # `sanic app.main:create_app --factory` loads it so: the CLI's arguments first, then none.
    Sanic.test_mode = True
    target = "app.main:create_app"
    app = AppLoader(target, as_factory=True, args=Namespace(target=target, factory=True)).load()
    assert app.ctx.settings is settings
    listeners = {(f.listener.__name__, f.event) for f in app._future_listeners}
    assert ("open_resources", "before_server_start") in listeners
    assert ("close_resources", "after_server_stop") in listeners
    _, resp = await app.asgi_client.post(
        "/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert resp.status == 200, resp.text


async def test_cors_preflight_only_when_configured(settings: Settings) -> None:
    Sanic.test_mode = True
    app = create_app(settings=settings.model_copy(update={"cors_origins": "http://example.com"}))
    preflight = {"origin": "http://example.com", "access-control-request-method": "POST"}
    _, resp = await app.asgi_client.options("/api/v2/users", headers=preflight)
    assert resp.status == 204
    assert resp.headers["access-control-allow-origin"] == "http://example.com"
    _, resp = await app.asgi_client.options("/api/v2/users")
    assert resp.status == 405
    assert resp.headers["allow"] == "GET, POST"
