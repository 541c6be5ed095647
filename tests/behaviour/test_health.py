"""Operational endpoints: liveness and readiness."""

from __future__ import annotations

import httpx

from tests.support.assertions import assert_json


def test_health_is_ok(api: httpx.Client) -> None:
    assert assert_json(api.get("/health"), 200) == {"status": "ok"}


def test_ready_reports_database_and_broker(api: httpx.Client) -> None:
    body = assert_json(api.get("/ready"), 200)
    assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_health_ignores_query_and_needs_no_token(api: httpx.Client) -> None:
    resp = api.get("/health", params={"verbose": "1"}, headers={"Authorization": "Bearer junk"})
    assert assert_json(resp, 200) == {"status": "ok"}
