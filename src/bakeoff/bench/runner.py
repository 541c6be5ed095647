"""Run the workload against each target in turn (baselines first) and write reports/bench.json."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt

from bakeoff.bench import data, measures, wrk
from bakeoff.manifest import REPO_ROOT, Service, all_services, get_service
from bakeoff.processes import run_once, service_environment, sync_service

log = logging.getLogger("bakeoff")

BASELINES_DIR = REPO_ROOT / "baselines"
SCENARIOS = ("health", "get", "list", "create")
FAMILY = {"fastapi": "asgi", "sanic": "asgi", "django": "wsgi", "flask": "wsgi"}
SERVER_CPU = "0"
LOAD_CPU = "1"
# Settings a caller's shell could leak into a target.
SCRUBBED = (
    "DATABASE_URL",
    "BROKER_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "MAIL_FROM",
    "SECRET_KEY",
    "ACCESS_TOKEN_TTL_SECONDS",
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "CORS_ORIGINS",
    "PORT",
    "ENVIRONMENT",
    "WEB_CONCURRENCY",
)
VERSION_NAMES = (
    "fastapi",
    "django",
    "flask",
    "sanic",
    "uvicorn",
    "gunicorn",
    "granian",
    "hypercorn",
    "starlette",
    "pydantic",
    "sqlalchemy",
    "asyncpg",
    "psycopg",
    "celery",
    "orjson",
    "werkzeug",
    "djangorestframework",
    "django-ninja",
)
START_TIMEOUT = 120.0


@dataclass(frozen=True)
class Settings:
    duration: float = 10.0
    runs: int = 3
    warmup: float = 5.0
    connections: int = 64
    # Each create costs one argon2id hash (tens of ms to a second of CPU on one core): with 64
    # connections the run would measure the queue, and time out on a busy machine.
    create_connections: int = 16
    users: int = 10_000
    embedded: bool = False
    scenarios: tuple[str, ...] = SCENARIOS
    pin: bool = True

    @property
    def backend(self) -> str:
        return "embedded" if self.embedded else "postgres"


@dataclass
class Target:
    service: Service
    kind: str  # "service" | "baseline"
    family: str  # "asgi" | "wsgi"
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.service.name


def baseline_targets() -> list[Target]:
    config = tomllib.loads((BASELINES_DIR / "baselines.toml").read_text())
    targets = []
    for family in ("asgi", "wsgi"):
        entry = config[family]
        service = Service(
            name=f"{family}-baseline",
            port=0,
            summary=str(entry["summary"]),
            directory=BASELINES_DIR,
            commands={"api": tuple(str(p) for p in entry["api"])},
        )
        targets.append(Target(service, "baseline", family))
    return targets


def service_targets(names: list[str] | None) -> list[Target]:
    """The named services (`none`: no service, only the baselines), default all of them."""
    if names == ["none"]:
        return []
    services = [get_service(n) for n in names] if names else all_services()
    return [Target(s, "service", FAMILY.get(s.name, _guess_family(s))) for s in services]


def _guess_family(service: Service) -> str:
    api = " ".join(service.commands["api"])
    return "wsgi" if "gunicorn" in api and "uvicorn" not in api else "asgi"


class Progress:
    """One status line on a terminal (rewritten in place); plain log lines otherwise."""

    def __init__(self, total_steps: int) -> None:
        self.total = max(1, total_steps)
        self.done = 0
        self.tty = sys.stderr.isatty()

    def step(self, label: str, seconds: float) -> Callable[[float], None]:
        self.done += 1
        prefix = f"[{self.done}/{self.total}] {label}"
        if not self.tty:
            log.info("%s (%.0fs)", prefix, seconds)

        def tick(elapsed: float) -> None:
            if self.tty:
                filled = min(20, int(20 * elapsed / max(seconds, 0.1)))
                sys.stderr.write(
                    f"\r{prefix} [{'#' * filled}{'.' * (20 - filled)}] "
                    f"{elapsed:4.0f}/{seconds:.0f}s "
                )
                sys.stderr.flush()

        return tick

    def result(self, text: str) -> None:
        if self.tty:
            sys.stderr.write(f"\r\033[K{text}\n")
            sys.stderr.flush()
        else:
            log.info("%s", text)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def resources(target: Target, settings: Settings, tmp: Path) -> Iterator[tuple[str, str]]:
    with contextlib.ExitStack() as stack:
        if settings.embedded:
            yield f"sqlite:///{tmp / 'app.db'}", f"sqla+sqlite:///{tmp / 'broker.sqlite'}"
            return
        db = stack.enter_context(data.postgres_database(target.name.replace("-", "_")))
        broker = stack.enter_context(data.redis_database())
        yield db, broker


def _stop(proc: subprocess.Popen[bytes]) -> None:
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


def _wait_for(
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


def _precheck(client: httpx.Client, scenario: str, token: str) -> str | None:
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


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    failures = [r["failure"] for r in runs if r.get("failure")]
    if failures or not runs:
        return {"status": "failed", "error": failures[0] if failures else "no runs", "runs": runs}
    return {
        "status": "ok",
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p50_ms": round(statistics.median(r["p50_us"] for r in runs) / 1000, 2),
        "p99_ms": round(statistics.median(r["p99_us"] for r in runs) / 1000, 2),
        "runs": runs,
    }


def bench_target(target: Target, settings: Settings, progress: Progress) -> dict[str, Any]:
    service = target.service
    entry: dict[str, Any] = {
        "name": target.name,
        "kind": target.kind,
        "family": target.family,
        "summary": service.summary,
        "scenarios": {},
        "load_average_before": measures.load_average(),
    }
    with tempfile.TemporaryDirectory(prefix=f"bakeoff-bench-{target.name}-") as tmp_name:
        tmp = Path(tmp_name)
        with resources(target, settings, tmp) as (database_url, broker_url):
            port = free_port()
            admin_email = f"bench-admin-{secrets.token_hex(4)}@bench.example.com"
            admin_password = f"bench-{secrets.token_urlsafe(12)}"
            secret = secrets.token_urlsafe(48)
            overrides = {
                "DATABASE_URL": database_url,
                "BROKER_URL": broker_url,
                "SECRET_KEY": secret,
                "ENVIRONMENT": "production",
                "ADMIN_EMAIL": admin_email,
                "ADMIN_PASSWORD": admin_password,
                "WEB_CONCURRENCY": "1",
                "LOG_LEVEL": "WARNING",
                "ACCESS_TOKEN_TTL_SECONDS": "86400",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(free_port()),
                "PORT": str(port),
            }
            sync_service(service)
            env = service_environment(service, overrides)
            for key in SCRUBBED:
                if key not in overrides:
                    env.pop(key, None)
            (service.directory / "var").mkdir(exist_ok=True)
            if target.kind == "service":
                run_once(service, "migrate", env)
            else:
                data.apply_schema(database_url, BASELINES_DIR / "schema.sql")
            argv = service.argv("api", host="127.0.0.1", port=port)
            entry["deployment"] = {
                "argv": [Path(argv[0]).name, *argv[1:]],
                "env": {
                    "WEB_CONCURRENCY": "1",
                    "LOG_LEVEL": "WARNING",
                    "ENVIRONMENT": "production",
                },
                "server_cpu": SERVER_CPU if settings.pin else None,
            }
            if settings.pin:
                argv = ["taskset", "-c", SERVER_CPU, *argv]
            log_path = REPO_ROOT / "reports" / "bench" / f"{target.name}.log"
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with log_path.open("wb") as log_file:
                proc = subprocess.Popen(
                    argv,
                    cwd=service.directory,
                    env=env,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            try:
                base_url = f"http://127.0.0.1:{port}"
                with httpx.Client(base_url=base_url, timeout=30.0) as client:
                    entry["cold_start_s"] = round(_wait_for(client, "/health", proc, log_path), 3)
                    if target.kind == "service":
                        _wait_for(client, "/ready", proc, log_path)
                        data.seed(database_url, settings.users)
                        resp = client.post(
                            "/api/v2/auth/token",
                            data={"username": admin_email, "password": admin_password},
                        )
                        if resp.status_code != 200:
                            raise RuntimeError(
                                f"admin login -> {resp.status_code} {resp.text[:300]}"
                            )
                        token = str(resp.json()["access_token"])
                    else:
                        data.seed(database_url, settings.users)
                        admin_id = data.insert_admin_postgres(database_url, admin_email)
                        now = int(time.time())
                        token = jwt.encode(
                            {
                                "sub": str(admin_id),
                                "iat": now,
                                "exp": now + 86400,
                                "jti": secrets.token_hex(8),
                            },
                            secret,
                            algorithm="HS256",
                        )
                    for scenario in settings.scenarios:
                        entry["scenarios"][scenario] = _run_scenario(
                            target, scenario, client, base_url, token, settings, progress, proc.pid
                        )
                entry["rss_mb_after_load"] = measures.tree_rss_mb(proc.pid)
                entry["load_average_after"] = measures.load_average()
            finally:
                _stop(proc)
    entry["log"] = str(log_path.relative_to(REPO_ROOT))
    return entry


def _run_scenario(
    target: Target,
    scenario: str,
    client: httpx.Client,
    base_url: str,
    token: str,
    settings: Settings,
    progress: Progress,
    server_pid: int,
) -> dict[str, Any]:
    problem = _precheck(client, scenario, token)
    if problem is not None:
        progress.done += 1 + settings.runs
        progress.result(f"{target.name:<14} {scenario:<7} FAILED {problem}")
        return {"status": "failed", "error": problem, "runs": []}
    cpu = LOAD_CPU if settings.pin else None
    url = base_url + wrk.SCENARIO_PATHS[scenario]
    conns = settings.create_connections if scenario == "create" else settings.connections
    if settings.warmup > 0:
        tick = progress.step(f"{target.name} {scenario} warm-up", settings.warmup)
        script = wrk.script_text(
            scenario, token=token, users=settings.users, tag=secrets.token_hex(4)
        )
        wrk.run(
            url,
            script,
            duration=settings.warmup,
            connections=conns,
            cpu=cpu,
            tick=tick,
        )
        measures.settle(server_pid)
    runs = []
    for number in range(1, settings.runs + 1):
        tick = progress.step(
            f"{target.name} {scenario} run {number}/{settings.runs}", settings.duration
        )
        script = wrk.script_text(
            scenario, token=token, users=settings.users, tag=secrets.token_hex(4)
        )
        result = wrk.run(
            url,
            script,
            duration=settings.duration,
            connections=conns,
            cpu=cpu,
            tick=tick,
        )
        runs.append(result.as_dict())
        measures.settle(server_pid)
    summary = _summarise(runs)
    if summary["status"] == "ok":
        progress.result(
            f"{target.name:<14} {scenario:<7} {summary['rps']:>9.1f} req/s  "
            f"p50 {summary['p50_ms']:.1f} ms  p99 {summary['p99_ms']:.1f} ms"
        )
    else:
        progress.result(f"{target.name:<14} {scenario:<7} FAILED {summary['error']}")
    return summary


def add_baseline_shares(targets: list[dict[str, Any]]) -> None:
    """Each service's median req/s as a percentage of its family's baseline, per scenario."""
    baselines = {t["family"]: t for t in targets if t["kind"] == "baseline"}
    for target in targets:
        base = baselines.get(target["family"])
        if target["kind"] != "service" or base is None:
            continue
        for scenario, result in target["scenarios"].items():
            ref = base["scenarios"].get(scenario, {})
            if result.get("status") == "ok" and ref.get("status") == "ok" and ref["rps"]:
                result["pct_of_baseline"] = round(100 * result["rps"] / ref["rps"], 1)


def static_measures(target: Target) -> dict[str, Any]:
    service = target.service
    found: dict[str, Any] = {
        "packages": measures.installed_packages(service.venv),
        "versions": measures.venv_versions(service.venv, VERSION_NAMES),
    }
    if target.kind == "service":
        loc = measures.lines_by_feature(service.directory)
        found["loc_by_feature"] = loc
        found["loc_total"] = sum(loc.values())
        found["tox_seconds"] = measures.tox_seconds(target.name)
    return found


def run(names: list[str] | None, settings: Settings, output: Path, baselines: bool = True) -> int:
    wrk.wrk_binary()  # fail before anything starts when it is missing
    logging.getLogger("httpx").setLevel(logging.WARNING)
    targets = service_targets(names)
    if baselines and not settings.embedded:
        targets = baseline_targets() + targets
    steps = len(targets) * len(settings.scenarios) * (settings.runs + (1 if settings.warmup else 0))
    progress = Progress(steps)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": measures.machine(),
        "wrk": wrk.wrk_version(),
        "settings": {
            "backend": settings.backend,
            "duration_s": settings.duration,
            "runs": settings.runs,
            "warmup_s": settings.warmup,
            "connections": settings.connections,
            "create_connections": settings.create_connections,
            "seeded_users": settings.users,
            "scenarios": list(settings.scenarios),
            "server_cpu": SERVER_CPU if settings.pin else None,
            "load_cpu": LOAD_CPU if settings.pin else None,
            "wrk_threads": 1,
            "statistic": "median of runs",
            "failure_rule": "any non-2xx/3xx answer or socket error fails the run",
        },
        "targets": [],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    failed = 0
    for target in targets:
        log.info("bench: %s (%s)", target.name, target.service.summary)
        try:
            entry = bench_target(target, settings, progress)
        except (RuntimeError, SystemExit, OSError, data.SeedError) as exc:
            log.error("bench: %s could not be measured: %s", target.name, exc)
            entry = {
                "name": target.name,
                "kind": target.kind,
                "family": target.family,
                "summary": target.service.summary,
                "error": str(exc),
                "scenarios": {},
            }
            failed += 1
        entry.update(static_measures(target))
        report["targets"].append(entry)
        add_baseline_shares(report["targets"])
        output.write_text(json.dumps(report, indent=2) + "\n")
    log.info("bench: wrote %s", output)
    return 1 if failed else 0
