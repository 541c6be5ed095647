"""Record the corpus against every service (one at a time, each on a fresh database)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from bakeoff.manifest import all_services
from tests.parity.corpus import CORS_ORIGIN, STEPS
from tests.parity.replay import Replayer, describe
from tests.support.live import REPO_ROOT, StartupError, live_service

Recordings = dict[str, dict[str, Any]]
# contract/README.md §8: the keys of every JSON log line, and of one request line.
LOG_KEYS = {"timestamp", "level", "logger", "message", "request_id"}
REQUEST_LINE_KEYS = LOG_KEYS | {"method", "path", "status", "duration_ms"}


def parity_services() -> list[str]:
    chosen = os.environ.get("BAKEOFF_PARITY_SERVICES")
    if chosen:
        return [n for n in chosen.split(",") if n]
    return [s.name for s in all_services()]


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1)


def failed(value: Any) -> bool:
    """No answer at all: a transport error or a service that did not start is never agreement."""
    return isinstance(value, dict) and ("transport_error" in value or "startup_error" in value)


def majority(responses: dict[str, Any]) -> str | None:
    """The normalised answer most services gave (None on a tie for first place)."""
    counts = Counter(canonical(v) for v in responses.values())
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def write_summary(path: Path, backend: str, recordings: Recordings) -> None:
    names = list(recordings)
    services = {n: {"agree": 0, "total": len(STEPS)} for n in names}
    differences = []
    for step in STEPS:
        responses = {n: recordings[n][step.id] for n in names}
        top = majority(responses)
        if len({canonical(v) for v in responses.values()}) == 1 and not any(
            failed(v) for v in responses.values()
        ):
            for n in names:
                services[n]["agree"] += 1
            continue
        for n in names:
            if top is not None and canonical(responses[n]) == top and not failed(responses[n]):
                services[n]["agree"] += 1
        differences.append({"step": step.id, "request": describe(step), "responses": responses})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "backend": backend,
                "steps": len(STEPS),
                "services": services,
                "differences": differences,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


def log_keys(log_path: Path, prefix: str) -> dict[str, Any]:
    """The key sets of the API's JSON log lines: request lines apart, and any line not JSON."""
    request_lines: set[tuple[str, ...]] = set()
    other_lines: set[tuple[str, ...]] = set()
    not_json = []
    for line in log_path.read_text(errors="replace").splitlines():
        if not line.startswith(prefix):
            continue
        text = line[len(prefix) :]
        try:
            record = json.loads(text)
        except ValueError:
            not_json.append(text[:200])
            continue
        keys = tuple(sorted(set(record) - {"exc_info"}))
        (request_lines if record.get("logger") == "access" else other_lines).add(keys)
    return {
        "request lines": sorted(request_lines),
        "other lines": sorted(other_lines),
        "not JSON": not_json[:3],
    }


@pytest.fixture(scope="session")
def recordings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Recordings:
    backend = str(request.config.getoption("--backend"))
    result: Recordings = {}
    for name in parity_services():
        tmp_dir = tmp_path_factory.mktemp(f"parity-{name}")
        env = {"CORS_ORIGINS": CORS_ORIGIN, "LOG_FORMAT": "json"}
        try:
            with (
                live_service(name, backend, tmp_dir, extra_env=env) as live,
                httpx.Client(base_url=live.base_url, timeout=30.0) as client,
            ):
                replayer = Replayer(live, client)
                result[name] = {step.id: replayer.run(step) for step in STEPS}
            result[name]["log keys"] = log_keys(live.log_path, f"{name}-api | ")
        except StartupError as exc:
            first_line = str(exc).splitlines()[0]
            result[name] = {step.id: {"startup_error": first_line} for step in STEPS}
    # The embedded run keeps the names the benchmark report reads; other backends get their own.
    suffix = "" if backend == "embedded" else f"-{backend}"
    write_summary(REPO_ROOT / "reports" / f"parity{suffix}.json", backend, result)
    for name, recorded in result.items():
        path = REPO_ROOT / "reports" / f"parity{suffix}" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
    return result
