"""What the service log must (request ids) and must never (passwords) contain."""

from __future__ import annotations

import time
import uuid

import httpx

from tests.support.assertions import assert_json, assert_problem
from tests.support.live import LiveService
from tests.support.users import UserFactory, login

FLUSH_SECONDS = 5.0


def wait_for_log(service: LiveService, needle: str) -> bool:
    deadline = time.monotonic() + FLUSH_SECONDS
    while time.monotonic() < deadline:
        if needle in service.log_text():
            return True
        time.sleep(0.2)
    return False


def test_request_id_is_in_the_request_log(api: httpx.Client, service: LiveService) -> None:
    request_id = f"log-probe-{uuid.uuid4().hex}"
    resp = api.get("/api/v2/users/me", headers={"X-Request-ID": request_id})
    assert_problem(resp, 401, "/problems/unauthorized")
    assert wait_for_log(service, request_id), f"{request_id} never reached the log"


def test_passwords_are_never_logged(
    api: httpx.Client, service: LiveService, users: UserFactory
) -> None:
    first = f"first-secret-{uuid.uuid4().hex}"
    second = f"second-secret-{uuid.uuid4().hex}"
    wrong = f"wrong-secret-{uuid.uuid4().hex}"
    me = users.create(prefix="log-secret", password=first)
    resp = api.patch(f"/api/v1/users/{me.id}", json={"password": second}, headers=me.headers)
    assert_json(resp, 200)
    login(api, me.email, second)
    failed = api.post("/api/v1/auth/token", data={"username": me.email, "password": wrong})
    assert_problem(failed, 401, "/problems/unauthorized", "Incorrect email or password")
    too_short = uuid.uuid4().hex[:7]
    body = {"email": "x@example.com", "name": "X", "password": too_short}
    assert api.post("/api/v2/users", json=body).status_code == 422
    marker = f"log-marker-{uuid.uuid4().hex}"
    api.get("/health", headers={"X-Request-ID": marker})
    api.get("/api/v1/users/me", headers={"X-Request-ID": marker})
    assert wait_for_log(service, marker), "the log is not being written"
    text = service.log_text()
    for secret in (first, second, wrong, too_short):
        assert secret not in text, "a password reached the service log"
