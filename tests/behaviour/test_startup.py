"""Start-up and operator commands: a missing SECRET_KEY stops production; create-admin recovers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.assertions import assert_json, assert_problem
from tests.support.live import REPO_ROOT, LiveService, free_port, stop_process_tree
from tests.support.tokens import bearer
from tests.support.users import UserFactory, login, unique_email

EXIT_TIMEOUT_SECONDS = 90.0


def test_production_without_secret_key_refuses_to_start(
    service: LiveService, tmp_path: Path
) -> None:
    env = service.launcher_env({"ENVIRONMENT": "production"})
    env.pop("SECRET_KEY", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'app.db'}"
    env["BROKER_URL"] = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    log_path = tmp_path / "startup.log"
    argv = [
        sys.executable, "-m", "bakeoff", "serve", service.name, "--port", str(free_port()),
        "--database-url", env["DATABASE_URL"], "--broker-url", env["BROKER_URL"],
    ]  # fmt: skip
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        code = proc.wait(timeout=EXIT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        stop_process_tree(proc)
    output = log_path.read_text(errors="replace")
    assert code is not None, f"still running after {EXIT_TIMEOUT_SECONDS:.0f}s:\n{output[-3000:]}"
    assert code != 0, output[-3000:]
    assert "SECRET_KEY" in output, output[-3000:]


def test_create_admin_promotes_and_resets_an_existing_user(
    api: httpx.Client, service: LiveService, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(prefix="operator")
    off = api.patch(f"/api/v1/users/{target.id}", json={"is_active": False}, headers=admin_headers)
    assert assert_json(off, 200)["is_active"] is False
    result = service.run_launcher(
        "create-admin", service.name,
        "--database-url", service.database_url, "--broker-url", service.broker_url,
        extra_env={"ADMIN_EMAIL": target.email, "ADMIN_PASSWORD": "operator-reset-pw"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    token = login(api, target.email, "operator-reset-pw")
    me = assert_json(api.get("/api/v1/users/me", headers=bearer(token)), 200)
    assert me["id"] == target.id
    assert (me["is_admin"], me["is_active"]) == (True, True)
    stale = api.post(
        "/api/v2/auth/token", data={"username": target.email, "password": target.password}
    )
    assert_problem(stale, 401, "/problems/unauthorized", "Incorrect email or password")


def test_create_admin_creates_a_missing_admin(api: httpx.Client, service: LiveService) -> None:
    email = unique_email("operator-new")
    result = service.run_launcher(
        "create-admin", service.name,
        "--database-url", service.database_url, "--broker-url", service.broker_url,
        extra_env={"ADMIN_EMAIL": email, "ADMIN_PASSWORD": "operator-new-pw"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    token = login(api, email, "operator-new-pw")
    me = assert_json(api.get("/api/v2/users/me", headers=bearer(token)), 200)
    assert (me["email"], me["role"], me["status"]) == (email, "admin", "active")
