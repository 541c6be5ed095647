"""Run the workload against each target in turn (baselines first) and write reports/bench.json."""

from __future__ import annotations

import json
import logging
import secrets
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt

from bakeoff.bench import data, measures, server, wrk
from bakeoff.bench.progress import Progress
from bakeoff.bench.scenario import LOAD_CPU, scenario_run
from bakeoff.bench.targets import (
    BASELINES_DIR,
    Settings,
    Target,
    baseline_targets,
    service_targets,
)
from bakeoff.manifest import REPO_ROOT, SERVICE_SETTINGS
from bakeoff.processes import run_once, service_environment, sync_service
from bakeoff.servers import free_port

log = logging.getLogger("bakeoff")

SERVER_CPU = "0"
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
        with server.resources(target, settings, tmp) as (database_url, broker_url):
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
            for key in SERVICE_SETTINGS:
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
                    entry["cold_start_s"] = round(
                        server.wait_for(client, "/health", proc, log_path), 3
                    )
                    if target.kind == "service":
                        server.wait_for(client, "/ready", proc, log_path)
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
                        entry["scenarios"][scenario] = scenario_run(
                            target, scenario, client, base_url, token, settings, progress, proc.pid
                        )
                entry["rss_mb_after_load"] = measures.tree_rss_mb(proc.pid)
                entry["load_average_after"] = measures.load_average()
            finally:
                server.stop(proc)
    entry["log"] = str(log_path.relative_to(REPO_ROOT))
    return entry


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
