"""Bounded soak: 60 s of mixed reads and writes over 64 connections against one service.

The service runs as in production (PostgreSQL + Redis, two API processes, the Celery worker with
its beat) and is seeded with 24 users. 64 tasks, one per connection, then draw from the mix in
`tests/soak/load.py`: two thirds reads (one user by v1 id and by v2 uuid, `/me`, v1 offset and v2
cursor pages), one third writes (v2 PATCH with If-Match on 12 hot users, v1 PATCH, 2 % sign-ups,
1 % deletes of users the soak created).

It proves:
- no request answers 5xx, times out (30 s) or fails in transport, and every answer is one the
  contract allows that operation (a stale If-Match is an expected 412);
- the resident memory of the service (summed RSS of the API's and the worker's process trees,
  read from /proc with the load held and settled for 1 s) grows from the end of a 10 s warm-up to
  the end of the load by at most max(32 MiB, 5 % of the warm RSS).

The bound: the warm RSS is 550-670 MiB for every service (200-330 MiB of API processes,
320-370 MiB of worker processes), so the bound is 32-34 MiB. Over the 50 s between the readings,
five to seven runs per service grew by at most +7.2 MiB (fastapi +3.2 to +7.2, django +3.7 to
+4.8, flask +0.9 to +1.5, sanic +1.0 to +2.0): a margin of over 4x, while a leak of 8-11 KiB per
request (3,100-3,900 requests fell between the readings on the 2-core reference machine) fails it.

Processes: the memory is measured per process (pid and start time). A process that was listed but
gone before its RSS was read, or that was replaced between the two readings (one that ended, or a
new one), fails the soak: its RSS would otherwise vanish from, or restart in, the sum and hide a
leak. The only recycling a service documents is flask's gunicorn `max_requests` (10,000 per
worker, jitter 1,000): the whole run (seed, warm-up and measured window) stays far below 9,000
requests on the reference machine (about 4,000 in 60 s), so no documented recycling falls inside
the window, and a replacement there is a crash or a kill. A longer BAKEOFF_SOAK_SECONDS on a fast
machine can outrun it; the failure message then says so.

Every operation must complete (answer one of its allowed statuses) at least
max(MIN_COMPLETED_PER_OP, a quarter of its share of all requests) times: an operation the load
never reached proves nothing.

Throughput and latency are reported (reports/soak-<service>.json and the terminal), not asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

import httpx

from tests.soak.conftest import WEB_CONCURRENCY
from tests.soak.load import OPS, OpStats, Soak, SoakResult, percentile, seed_users
from tests.soak.memory import MIB
from tests.support.live import REPO_ROOT, LiveService

CONNECTIONS = 64
SECONDS = float(os.environ.get("BAKEOFF_SOAK_SECONDS", "60"))
WARMUP_SECONDS = 10.0
SETTLE_SECONDS = 1.0
REQUEST_TIMEOUT_SECONDS = 30.0
SEEDED_USERS = 24
# Every server closes a connection idle for 5 s (uvicorn's default, gunicorn `keepalive = 5`,
# Sanic KEEP_ALIVE_TIMEOUT). A client that reuses one at that very instant gets a reset: the
# keep-alive race RFC 9112 section 9.3.1 leaves to clients. httpx's default expiry is also 5 s,
# so it would lose that race now and then; like a load balancer, expire idle connections first.
CLIENT_KEEPALIVE_SECONDS = 2.0
# The smallest documented recycling period: flask's gunicorn max_requests - max_requests_jitter.
RECYCLE_AFTER_REQUESTS = 9_000
MIN_COMPLETED_PER_OP = 5
MIN_SHARE_OF_WEIGHT = 0.25
GROWTH_BOUND_MIB = 32.0
GROWTH_BOUND_FRACTION = 0.05


def growth_bound_bytes(warm_bytes: int) -> float:
    return max(GROWTH_BOUND_MIB * MIB, GROWTH_BOUND_FRACTION * warm_bytes)


def completed(stats: OpStats, op: str) -> int:
    return sum(n for status, n in stats.statuses.items() if status in OPS[op][1])


def minimum_completed(op: str, requests: int) -> int:
    return max(MIN_COMPLETED_PER_OP, int(MIN_SHARE_OF_WEIGHT * OPS[op][0] / 100 * requests))


def process_problems(result: SoakResult) -> list[str]:
    """Processes that vanished while being read, or were replaced during the measured window."""
    problems = []
    for label, reading in (("warm", result.warm), ("end", result.end)):
        if reading.vanished:
            problems.append(
                f"processes {sorted(reading.vanished)} vanished while the {label} RSS was read"
            )
    gone = result.warm.processes - result.end.processes
    new = result.end.processes - result.warm.processes
    if gone or new:
        outran = result.requests + SEEDED_USERS >= RECYCLE_AFTER_REQUESTS
        problems.append(
            f"processes were replaced during the measured window: ended {sorted(gone)}, "
            f"started {sorted(new)} ((pid, start time)); "
            + (
                f"the run sent {result.requests:,} requests, at or past the "
                f"{RECYCLE_AFTER_REQUESTS:,} after which flask's gunicorn may recycle a worker: "
                "shorten BAKEOFF_SOAK_SECONDS"
                if outran
                else f"only {result.requests:,} requests were sent, fewer than any documented "
                f"recycling period ({RECYCLE_AFTER_REQUESTS:,}): a crash or a kill"
            )
        )
    return problems


def connect(live: LiveService, connections: int = 1) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=connections,
        max_keepalive_connections=connections,
        keepalive_expiry=CLIENT_KEEPALIVE_SECONDS,
    )
    return httpx.AsyncClient(base_url=live.base_url, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits)


async def drive(live: LiveService) -> SoakResult:
    async with connect(live, connections=8) as client:
        token = await client.post(
            "/api/v2/auth/token",
            data={"username": live.admin_email, "password": live.admin_password},
        )
        assert token.status_code == 200, token.text[:300]
        begin = time.monotonic()
        seeded = await seed_users(client, live.secret_key, SEEDED_USERS)
        seed_seconds = time.monotonic() - begin
    # One client (and so one connection) per worker task: a single httpx pool of 64 connections
    # scans all of them on every request, and the load generator would spend more CPU than the
    # service it measures.
    soak = Soak(
        lambda: connect(live),
        admin_token=token.json()["access_token"],
        secret_key=live.secret_key,
        seeded=seeded,
        launcher_pid=live.pid,
    )
    result = await soak.run(
        connections=CONNECTIONS,
        seconds=SECONDS,
        warmup=WARMUP_SECONDS,
        settle=SETTLE_SECONDS,
    )
    result.seed_seconds = seed_seconds
    return result


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def build_report(live: LiveService, result: SoakResult) -> dict[str, Any]:
    every = [lat for stats in result.ops.values() for lat in stats.latencies]
    growth = result.end.total_bytes - result.warm.total_bytes
    bound = growth_bound_bytes(result.warm.total_bytes)
    failures = result.failures
    return {
        "service": live.name,
        "backend": "postgres",
        "web_concurrency": WEB_CONCURRENCY,
        "connections": CONNECTIONS,
        "seconds": result.seconds,
        "warmup_seconds": WARMUP_SECONDS,
        "request_timeout_seconds": REQUEST_TIMEOUT_SECONDS,
        "seeded_users": SEEDED_USERS,
        "seed_seconds": round(result.seed_seconds, 1),
        "requests": result.requests,
        "requests_per_second": round(result.requests / result.seconds, 1),
        "latency_ms": {
            "p50": ms(percentile(every, 0.50)),
            "p99": ms(percentile(every, 0.99)),
            "max": ms(max(every, default=0.0)),
        },
        "ops": {
            name: {
                "weight_percent": OPS[name][0],
                "expected": sorted(OPS[name][1]),
                "requests": len(stats.latencies),
                "completed": completed(stats, name),
                "minimum_completed": minimum_completed(name, result.requests),
                "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
                "failures": stats.failures,
                "p50_ms": ms(percentile(stats.latencies, 0.50)),
                "p99_ms": ms(percentile(stats.latencies, 0.99)),
            }
            for name, stats in result.ops.items()
        },
        "failures": {
            "total": failures.total,
            "server_errors": failures.server_errors,
            "timeouts": failures.timeouts,
            "transport_errors": failures.transport_errors,
            "unexpected_status": failures.unexpected_status,
            "samples": failures.samples,
        },
        "memory": {
            "warm": result.warm.as_json(),
            "end": result.end.as_json(),
            "growth_mib": round(growth / MIB, 1),
            "api_growth_mib": round((result.end.api_bytes - result.warm.api_bytes) / MIB, 1),
            "worker_growth_mib": round(
                (result.end.worker_bytes - result.warm.worker_bytes) / MIB, 1
            ),
            "bound_mib": round(bound / MIB, 1),
            "bound_rule": f"max({GROWTH_BOUND_MIB:g} MiB, {GROWTH_BOUND_FRACTION:.0%} of warm RSS)",
            # Processes that were replaced between the readings (a failure: see the docstring).
            "replaced_api_processes": len(result.warm.api_processes - result.end.api_processes),
            "replaced_worker_processes": len(
                result.warm.worker_processes - result.end.worker_processes
            ),
            "timeline_under_load": result.timeline,
        },
    }


def summary_line(report: dict[str, Any]) -> str:
    f = report["failures"]
    m = report["memory"]
    return (
        f"soak {report['service']}: {report['requests']:,} requests in {report['seconds']:g} s "
        f"({report['requests_per_second']:,.0f} req/s), p50 {report['latency_ms']['p50']} ms, "
        f"p99 {report['latency_ms']['p99']} ms; failures {f['total']} (5xx {f['server_errors']}, "
        f"timeouts {f['timeouts']}, transport {f['transport_errors']}, other "
        f"{f['unexpected_status']}); RSS {m['warm']['total_mib']} -> {m['end']['total_mib']} MiB "
        f"({m['growth_mib']:+} MiB, bound {m['bound_mib']} MiB; api {m['api_growth_mib']:+}, "
        f"worker {m['worker_growth_mib']:+}); load average {report['machine_load']['before']} -> "
        f"{report['machine_load']['after']}"
    )


def test_soak_without_errors_or_memory_growth(
    soak_service: LiveService, soak_summaries: list[str]
) -> None:
    load_before = os.getloadavg()[0]
    result = asyncio.run(drive(soak_service))
    report = build_report(soak_service, result)
    # Speed depends on what else runs: the 1-minute load average says how busy the machine was.
    report["machine_load"] = {
        "before": round(load_before, 2),
        "after": round(os.getloadavg()[0], 2),
    }
    path = REPO_ROOT / "reports" / f"soak-{soak_service.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n")
    line = summary_line(report)
    soak_summaries.append(line)

    with httpx.Client(base_url=soak_service.base_url, timeout=10) as client:
        ready = client.get("/ready")
    problems = []
    if report["failures"]["total"]:
        problems.append(
            f"{report['failures']['total']} failed requests; first ones: "
            + json.dumps(report["failures"]["samples"][:5], indent=1)
        )
    growth = result.end.total_bytes - result.warm.total_bytes
    if growth > growth_bound_bytes(result.warm.total_bytes):
        problems.append(
            f"resident memory grew {report['memory']['growth_mib']} MiB "
            f"(bound {report['memory']['bound_mib']} MiB)"
        )
    problems += process_problems(result)
    for op, stats in result.ops.items():
        done, needed = completed(stats, op), minimum_completed(op, result.requests)
        if done < needed:
            problems.append(f"{op}: {done} requests completed, fewer than {needed}")
    if ready.status_code != 200:
        problems.append(f"/ready answered {ready.status_code} after the soak: {ready.text[:300]}")
    assert not problems, f"{line}\n" + "\n".join(problems) + f"\nfull report: {path}"
