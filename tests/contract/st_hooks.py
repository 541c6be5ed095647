"""Schemathesis hooks: authenticate as the bootstrapped admin, and restore it when a generated
request deleted, disabled or demoted it (schemathesis may well PATCH or DELETE user 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
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
