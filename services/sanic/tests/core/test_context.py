"""The request class: the contract's request id and the percent-decoded path it routes."""

from __future__ import annotations

from typing import Any

import pytest
from sanic import Sanic

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, token


@pytest.mark.parametrize(
    "path", ["/api/v2/users/%6de", "/api/v2/user%73/me", "/api/v2/users%2Fme", "/api/v%32/users/me"]
)
async def test_percent_encoded_path_routes_as_decoded(app: Sanic[Any, Any], path: str) -> None:
    bearer = {"authorization": f"Bearer {await token(app, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    _, resp = await app.asgi_client.get(path, headers=bearer)
    assert resp.status == 200, resp.text
    assert resp.json["email"] == ADMIN_EMAIL


async def test_problem_instance_is_decoded_once(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.get("/no-such/%2541")
    assert resp.status == 404
    assert resp.json["instance"] == "/no-such/%41"
