"""Schemathesis hooks: authenticate as the bootstrapped admin, and restore it when a generated
request deleted, disabled or demoted it (schemathesis may well PATCH or DELETE user 1).

Positive cases must be able to succeed, or their success is never checked: the users the
contract's examples name are seeded (the token example logs in as ada@example.com), and a valid
(positive) request for one user by id is pointed at a user that exists, with that user's current
ETag in If-Match, so a 200/204 is what it must get (a 404 or 412 there is a failure)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from typing import Any

import httpx
import schemathesis

BASE_URL = os.environ["BAKEOFF_ST_BASE_URL"]
RESTORE_ARGV = [
    sys.executable,
    "-m",
    "bakeoff",
    "create-admin",
    os.environ["BAKEOFF_ST_SERVICE"],
    "--database-url",
    os.environ["BAKEOFF_ST_DATABASE_URL"],
    "--broker-url",
    os.environ["BAKEOFF_ST_BROKER_URL"],
]
MAX_LOGIN_ATTEMPTS = 5
# The user contract/openapi.yaml's TokenForm example logs in as.
EXAMPLE_LOGIN = {"email": "ada@example.com", "password": "correct-horse-battery"}
USER_BY_ID = {"/api/v1/users/{id}": "v1", "/api/v2/users/{id}": "v2"}


def _is_active_admin(token: str) -> bool:
    response = httpx.get(
        f"{BASE_URL}/api/v2/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    return response.status_code == 200 and response.json().get("role") == "admin"


def _login() -> httpx.Response:
    return httpx.post(
        f"{BASE_URL}/api/v2/auth/token",
        data={"username": os.environ["ADMIN_EMAIL"], "password": os.environ["ADMIN_PASSWORD"]},
        timeout=10,
    )


def _restore_admin() -> None:
    result = subprocess.run(RESTORE_ARGV, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"create-admin failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")


@schemathesis.auth(refresh_interval=None)
class AdminToken:
    token: str | None = None

    def get(self, case: Any, ctx: Any) -> str:
        if AdminToken.token is not None and _is_active_admin(AdminToken.token):
            return AdminToken.token
        for _ in range(MAX_LOGIN_ATTEMPTS):
            response = _login()
            if response.status_code == 200:
                AdminToken.token = str(response.json()["access_token"])
                if _is_active_admin(AdminToken.token):
                    return AdminToken.token
                _restore_admin()
            elif response.status_code == 429:
                time.sleep(min(int(response.headers.get("Retry-After", "1")), 61))
            else:
                _restore_admin()
        raise RuntimeError("could not obtain an admin token")

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {AdminToken().get(None, None)}"}


def _create_user(email: str, password: str) -> dict[str, Any]:
    """A v2 user (the existing one when the email is taken): its v2 representation."""
    response = httpx.post(
        f"{BASE_URL}/api/v2/users",
        json={"email": email, "name": "Schemathesis Seed", "password": password},
        timeout=10,
    )
    if response.status_code == 201:
        return dict(response.json())
    if response.status_code != 409:
        raise RuntimeError(f"seeding {email}: {response.status_code} {response.text[:500]}")
    found = httpx.get(
        f"{BASE_URL}/api/v2/users",
        params={"email": email},
        headers=_admin_headers(),
        timeout=10,
    )
    found.raise_for_status()
    return dict(found.json()["data"][0])


def _exists(version: str, user_id: Any) -> bool:
    response = httpx.get(
        f"{BASE_URL}/api/{version}/users/{user_id}", headers=_admin_headers(), timeout=10
    )
    return response.status_code == 200


def _etag(version: str, user_id: Any) -> str:
    response = httpx.get(
        f"{BASE_URL}/api/{version}/users/{user_id}", headers=_admin_headers(), timeout=10
    )
    response.raise_for_status()
    return response.headers["ETag"]


def _throwaway_user_id(version: str) -> Any:
    email = f"st-{uuid.uuid4().hex[:12]}@example.com"
    name_field = "full_name" if version == "v1" else "name"
    response = httpx.post(
        f"{BASE_URL}/api/{version}/users",
        json={
            "email": email,
            name_field: "Schemathesis Target",
            "password": "correct-horse-battery",
        },
        timeout=10,
    )
    if response.status_code != 201:
        raise RuntimeError(f"creating {email}: {response.status_code} {response.text[:500]}")
    return response.json()["id"]


_seeded = False


def _seed() -> None:
    global _seeded
    if not _seeded:
        _create_user(EXAMPLE_LOGIN["email"], EXAMPLE_LOGIN["password"])
        _seeded = True


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    _seed()
    version = USER_BY_ID.get(case.operation.path)
    meta = getattr(case, "meta", None)
    if version is None or meta is None or not meta.generation.mode.is_positive:
        return
    user_id = case.path_parameters.get("id")
    if user_id is None or not _exists(version, user_id):
        # A fresh user per such case: a PATCH may change its email or status and a DELETE
        # removes it, neither of which must leak into the next case.
        case.path_parameters["id"] = _throwaway_user_id(version)
    if case.method.upper() == "PATCH" and version == "v2":
        case.headers = case.headers or {}
        if case.headers.get("If-Match") != "*":
            case.headers["If-Match"] = _etag(version, case.path_parameters["id"])
