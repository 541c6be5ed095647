"""One target's server under test: its database and broker, start-up wait, pre-check, stop."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bakeoff.bench import data, wrk
from bakeoff.bench.targets import Settings, Target

START_TIMEOUT = 120.0


@contextlib.contextmanager
def resources(target: Target, settings: Settings, tmp: Path) -> Iterator[tuple[str, str]]:
    with contextlib.ExitStack() as stack:
        if settings.embedded:
            yield f"sqlite:///{tmp / 'app.db'}", f"sqla+sqlite:///{tmp / 'broker.sqlite'}"
            return
        db = stack.enter_context(data.postgres_database(target.name.replace("-", "_")))
        broker = stack.enter_context(data.redis_database())
        yield db, broker


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for(
    client: httpx.Client, path: str, proc: subprocess.Popen[bytes], log_path: Path
) -> float:
    """Seconds until `path` answers 200; raises with the log tail if the server dies first."""
    started = time.perf_counter()
    while time.perf_counter() - started < START_TIMEOUT:
        if proc.poll() is not None:
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
            raise RuntimeError(f"server exited with {proc.returncode}; log tail:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            if client.get(path, timeout=1.0).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.02)
    raise RuntimeError(f"{path} did not answer 200 within {START_TIMEOUT:.0f}s")


def precheck(client: httpx.Client, scenario: str, token: str) -> str | None:
    """One request of the scenario by hand: the workload must succeed before it is timed."""
    auth = {"Authorization": f"Bearer {token}"}
    if scenario == "health":
        resp = client.get("/health")
    elif scenario == "get":
        resp = client.get(f"/api/v2/users/{wrk.SEED_UUID_PREFIX}{1:012d}", headers=auth)
    elif scenario == "list":
        resp = client.get("/api/v2/users?limit=20", headers=auth)
    else:
        body = {
            "email": f"precheck-{secrets.token_hex(6)}@bench.example.com",
            "name": "Bench User",
            "password": wrk.BENCH_PASSWORD,
        }
        resp = client.post("/api/v2/users", json=body)
    if 200 <= resp.status_code < 300:
        return None
    request = f"{resp.request.method} {resp.request.url.path}"
    return f"pre-check {request} -> {resp.status_code} {resp.text[:300]}"
