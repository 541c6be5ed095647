"""One scenario against one running target: a precheck, a warm-up, then the measured runs."""

from __future__ import annotations

import secrets
import statistics
from typing import Any

import httpx

from bakeoff.bench import measures, server, wrk
from bakeoff.bench.progress import Progress
from bakeoff.bench.targets import Settings, Target

LOAD_CPU = "1"


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
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


def scenario_run(
    target: Target,
    scenario: str,
    client: httpx.Client,
    base_url: str,
    token: str,
    settings: Settings,
    progress: Progress,
    server_pid: int,
) -> dict[str, Any]:
    problem = server.precheck(client, scenario, token)
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
    summary = summarise(runs)
    if summary["status"] == "ok":
        progress.result(
            f"{target.name:<14} {scenario:<7} {summary['rps']:>9.1f} req/s  "
            f"p50 {summary['p50_ms']:.1f} ms  p99 {summary['p99_ms']:.1f} ms"
        )
    else:
        progress.result(f"{target.name:<14} {scenario:<7} FAILED {summary['error']}")
    return summary
