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
# The database accepts connections when it is started: the service follows within seconds.
RECOVERY_DEADLINE_SECONDS = 10.0
# Once one request is served again, every server process must be within this: a pool that backs
# off its reconnection attempts keeps answering 503 long after the database is back.
ALL_PROCESSES_SECONDS = 10.0
FRESH_CONNECTIONS = 20
# Long enough that a reconnection back-off (1, 2, 4, 8, 16 s ...) would be well under way.
OUTAGE_SECONDS = 20.0


def keep_asking_while_down(live: LiveService, headers: dict[str, str], seconds: float) -> None:
    """Requests on fresh connections reach every server process, each trying its database."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        with httpx.Client(base_url=live.base_url, timeout=30) as fresh:
            resp = fresh.get("/api/v2/users/me", headers=headers)
        assert_problem(resp, 503, "/problems/service-unavailable")
        time.sleep(0.5)


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
        keep_asking_while_down(live, headers, OUTAGE_SECONDS)

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
        assert_every_process_serves(live, headers)
        ready = client.get("/ready")
        assert ready.status_code == 200, describe(ready)
        assert ready.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def assert_every_process_serves(live: LiveService, headers: dict[str, str]) -> None:
    """Fresh connections land on every server process; all of them must answer 200 in a row."""
    deadline = time.monotonic() + ALL_PROCESSES_SECONDS
    statuses: list[int] = []
    while time.monotonic() < deadline:
        statuses = []
        for _ in range(FRESH_CONNECTIONS):
            with httpx.Client(base_url=live.base_url, timeout=30) as fresh:
                statuses.append(fresh.get("/api/v2/users/me", headers=headers).status_code)
        if statuses == [200] * FRESH_CONNECTIONS:
            return
        time.sleep(0.5)
    raise AssertionError(
        f"{ALL_PROCESSES_SECONDS:.0f}s after the first recovered request, fresh connections "
        f"still got {statuses}"
    )
