"""Several server processes share one failed-login limit (it lives in the database)."""

from __future__ import annotations

import httpx

from tests.support.assertions import TOKEN_UNAUTHORIZED, assert_problem
from tests.support.live import LiveService
from tests.support.users import unique_email

LOGIN_FAILURES_ALLOWED = 10
SHUTDOWN_DEADLINE_SECONDS = 30.0


def test_failed_login_limit_holds_across_server_processes(live: LiveService) -> None:
    email = unique_email("brute")
    statuses = []
    for _ in range(LOGIN_FAILURES_ALLOWED):
        # A new connection each time, so the kernel spreads the attempts over both processes.
        with httpx.Client(base_url=live.base_url, timeout=30) as client:
            resp = client.post("/api/v2/auth/token", data={"username": email, "password": "wrong"})
        assert_problem(resp, 401, "/problems/unauthorized", detail=TOKEN_UNAUTHORIZED)
        statuses.append(resp.status_code)
    for _ in range(3):
        with httpx.Client(base_url=live.base_url, timeout=30) as client:
            resp = client.post("/api/v2/auth/token", data={"username": email, "password": "wrong"})
        assert_problem(resp, 429, "/problems/rate-limited")
        assert 1 <= int(resp.headers["Retry-After"]) <= 60
