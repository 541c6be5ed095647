"""The strict JSON loader Sanic parses bodies with (contract §3)."""

from __future__ import annotations

from typing import Any

import pytest
from app.core.contract import MAX_JSON_DEPTH
from app.core.validation import json_depth, strict_json_loads
from sanic import Sanic

from tests.factories import JSON

AT_LIMIT = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH


def test_json_nested_past_the_contracts_depth_does_not_parse() -> None:
    assert json_depth({"a": [1]}) == 2
    assert json_depth(strict_json_loads(AT_LIMIT)) == MAX_JSON_DEPTH
    with pytest.raises(ValueError, match="nested deeper than 32 levels"):
        strict_json_loads("[" + AT_LIMIT + "]")


@pytest.mark.parametrize(("depth", "status"), [(MAX_JSON_DEPTH, 422), (MAX_JSON_DEPTH + 1, 400)])
async def test_too_deep_a_body_is_400(app: Sanic[Any, Any], depth: int, status: int) -> None:
    body = "[" * depth + "]" * depth
    _, resp = await app.asgi_client.post("/api/v2/users", content=body, headers=JSON)
    assert resp.status == status
