"""The strict JSON parser: a body nested past the contract's 32 levels is a 400 (contract §3)."""

from __future__ import annotations

import pytest
from django.test import Client
from usersapi.core.contract import json_depth

from tests.factories import JSON

pytestmark = pytest.mark.django_db


def test_depth_counts_objects_and_arrays() -> None:
    values: list[object] = [1, {"a": 1}, {"a": [1]}, [[], [[{}]]]]
    assert [json_depth(v) for v in values] == [0, 1, 2, 4]


@pytest.mark.parametrize(("depth", "status"), [(32, 422), (33, 400)])
def test_the_depth_bound_is_exact(client: Client, depth: int, status: int) -> None:
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    body = '{"email": "deep@example.com", "name": ' + nested + ', "password": "12345678"}'
    resp = client.post("/api/v2/users", body, content_type=JSON)
    assert resp.status_code == status, resp.content
