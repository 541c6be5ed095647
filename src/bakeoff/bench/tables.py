"""The benchmark's numbers as table rows, and those rows as Markdown or HTML."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any


def scenario_value(target: dict[str, Any], scenario: str, key: str) -> float | None:
    result = target.get("scenarios", {}).get(scenario, {})
    value = result.get(key) if result.get("status") == "ok" else None
    return float(value) if isinstance(value, int | float) else None


def fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def performance_rows(bench: dict[str, Any]) -> list[list[str]]:
    rows = []
    for scenario in bench.get("settings", {}).get("scenarios", []):
        for target in bench.get("targets", []):
            result = target.get("scenarios", {}).get(scenario)
            if result is None:
                continue
            if result.get("status") != "ok":
                rows.append(
                    [
                        scenario,
                        target["name"],
                        "FAILED",
                        "—",
                        "—",
                        "—",
                        str(result.get("error", ""))[:160],
                    ]
                )
                continue
            rows.append(
                [
                    scenario,
                    target["name"],
                    fmt(result["rps"]),
                    fmt(result["p50_ms"], 2),
                    fmt(result["p99_ms"], 2),
                    fmt(result.get("pct_of_baseline"), 1, " %")
                    if target["kind"] == "service"
                    else "(baseline)",
                    "",
                ]
            )
    return rows


PERF_HEADER = ["scenario", "target", "req/s (median)", "p50 ms", "p99 ms", "% of baseline", "note"]
RES_HEADER = [
    "target",
    "deployment (server command)",
    "cold start s",
    "RSS after load MiB",
    "third-party packages",
    "lines of code",
    "tox env s",
    "machine load before → after",
]


def _load(target: dict[str, Any]) -> str:
    before, after = target.get("load_average_before"), target.get("load_average_after")
    if not before:
        return "—"
    return f"{before[0]:.1f} → {after[0]:.1f}" if after else f"{before[0]:.1f}"


def resource_rows(bench: dict[str, Any]) -> list[list[str]]:
    rows = []
    for t in bench.get("targets", []):
        argv = " ".join(t.get("deployment", {}).get("argv", [])) or t.get("error", "—")[:120]
        tox = t.get("tox_seconds")
        rows.append(
            [
                t["name"],
                argv,
                fmt(t.get("cold_start_s"), 2),
                fmt(t.get("rss_mb_after_load")),
                str(t.get("packages", "—")),
                str(t.get("loc_total", "—")) if t["kind"] == "service" else "—",
                ("not measured" if tox is None else f"{tox:.0f}")
                if t["kind"] == "service"
                else "—",
                _load(t),
            ]
        )
    return rows


def loc_rows(bench: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    services = [t for t in bench.get("targets", []) if t["kind"] == "service"]
    features = sorted({f for t in services for f in t.get("loc_by_feature", {})})
    rows = [
        [f, *[str(t.get("loc_by_feature", {}).get(f, "—")) for t in services]] for f in features
    ]
    return ["feature", *[t["name"] for t in services]], rows


def md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def html_table(header: list[str], rows: list[list[str]], raw: bool = False) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if raw else html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def load_warning(bench: dict[str, Any]) -> str | None:
    """A caveat when the machine was busy with other work while it was measured."""
    cores = bench.get("machine", {}).get("cores") or 1
    loads = [
        v[0]
        for t in bench.get("targets", [])
        for v in (t.get("load_average_before"), t.get("load_average_after"))
        if v
    ]
    if not loads or max(loads) <= cores:
        return None
    return (
        f"Caveat: the machine was shared while it was measured (1-minute load average up to "
        f"{max(loads):.0f} on {cores} cores; see the last column of the resources table). "
        "Absolute numbers are depressed and noisy; compare within a scenario, and re-run "
        "`make compare` on an idle machine for numbers to quote."
    )


def environment_lines(bench: dict[str, Any]) -> list[str]:
    m = bench.get("machine", {})
    s = bench.get("settings", {})
    lines = [
        f"Date of the measurement: {bench.get('date', 'not measured')}; page generated "
        f"{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}.",
        f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('memory_gib', '?')} GiB; "
        f"{m.get('os', '?')}, kernel {m.get('kernel', '?')}; Python {m.get('python', '?')}; "
        f"{m.get('postgresql', '?')}; {m.get('redis', '?')}; "
        f"load generator {bench.get('wrk', '?')}.",
    ]
    if s:
        lines.append(
            f"Workload: backend {s.get('backend')}; {s.get('seeded_users')} seeded users; "
            f"{s.get('connections')} connections ({s.get('create_connections', '?')} for create), "
            f"wrk with {s.get('wrk_threads')} thread; warm-up "
            f"{s.get('warmup_s')} s, then {s.get('runs')} runs of {s.get('duration_s')} s; "
            f"{s.get('statistic')}; server pinned to CPU {s.get('server_cpu')}, wrk to CPU "
            f"{s.get('load_cpu')}; one worker process (WEB_CONCURRENCY=1); LOG_LEVEL=WARNING; "
            f"{s.get('failure_rule')}."
        )
    versions = []
    for t in bench.get("targets", []):
        v = ", ".join(f"{k} {val}" for k, val in t.get("versions", {}).items())
        if v:
            versions.append(f"{t['name']}: {v}")
    if versions:
        lines.append("Versions: " + "; ".join(versions) + ".")
    return lines
