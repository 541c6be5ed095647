"""The database goes away: requests fail fast with 503 problem+json, /ready says so, and the service
recovers by itself when the database is back (design: 503 row)."""

from __future__ import annotations

import time

import httpx

from tests.faults.infra import PrivatePostgres
from tests.support.assertions import assert_problem, describe
from tests.support.live import LiveService
from tests.support.users import login

FAIL_FAST_SECONDS = 6.0
RECOVERY_DEADLINE_SECONDS = 60.0


def test_outage_is_503_fast_and_recovery_needs_no_restart(
    live: LiveService, database: PrivatePostgres
) -> None:
    with httpx.Client(base_url=live.base_url, timeout=30) as client:
        token = login(client, live.admin_email, live.admin_password)
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v2/users/me", headers=headers).status_code == 200

        database.stop()
        for path in ("/api/v2/users/me", "/api/v1/users", "/api/v2/users"):
            started = time.monotonic()
            resp = client.get(path, headers=headers)
            assert time.monotonic() - started < FAIL_FAST_SECONDS, f"{path} took too long"
            assert_problem(resp, 503, "/problems/service-unavailable")
        resp = client.post(
            "/api/v2/users",
            json={"email": "down@example.com", "name": "Down", "password": "correct-horse-battery"},
        )
        assert_problem(resp, 503, "/problems/service-unavailable")
        ready = client.get("/ready")
        body = assert_problem(ready, 503, "/problems/service-unavailable")
        assert body["checks"] == {"database": "error", "broker": "ok"}
        assert client.get("/health").status_code == 200

        database.start()
        deadline = time.monotonic() + RECOVERY_DEADLINE_SECONDS
        seen = []
        while time.monotonic() < deadline:
            resp = client.get("/api/v2/users/me", headers=headers)
            seen.append(resp.status_code)
            if resp.status_code == 200:
                break
            assert resp.status_code == 503, describe(resp)
            time.sleep(0.5)
        assert seen[-1] == 200, f"no recovery within {RECOVERY_DEADLINE_SECONDS}s: {seen}"
        ready = client.get("/ready")
        assert ready.status_code == 200, describe(ready)
        assert ready.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
