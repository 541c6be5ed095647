"""`bakeoff report`: a self-contained HTML page (inline SVG, no external asset) + Markdown twin."""

from __future__ import annotations

import html
import json
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bakeoff.manifest import REPO_ROOT, all_services

log = logging.getLogger("bakeoff")

SCENARIO_TITLES = {
    "health": "health — GET /health (framework floor)",
    "get": "get — GET /api/v2/users/{id}, authenticated",
    "list": "list — GET /api/v2/users?limit=20, admin",
    "create": "create — POST /api/v2/users (bound by argon2id hashing)",
}
# practice -> pattern searched in the first cell of each service README's practice table.
PRACTICES: tuple[tuple[str, str], ...] = (
    ("DI", r"^(dependency injection|di)\b"),
    ("settings", r"^settings"),
    ("logging", r"^logging"),
    ("errors", r"^errors?\b"),
    ("repository", r"^repositor|^reads\b"),
    ("migrations", r"migrations"),
    ("background job", r"^background|^outbox"),
    ("versioning", r"^versioning"),
    ("docs", r"^openapi|^docs"),
    ("tests", r"^tests?\b"),
    ("server", r"^server|^deployment"),
)
TARGET_ORDER = ("asgi-baseline", "wsgi-baseline", "fastapi", "django", "flask", "sanic")
COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f")


# ---- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    passed: int
    total: int

    def text(self) -> str:
        return f"{self.passed}/{self.total}"


def junit_score(path: Path, classname_filter: str | None = None) -> Score | None:
    """passed/total of a JUnit XML file (skipped cases count as not passed)."""
    if not path.is_file():
        return None
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - our own file
    except ET.ParseError:
        return None
    passed = total = 0
    for case in root.iter("testcase"):
        if classname_filter and classname_filter not in (case.get("classname") or ""):
            continue
        total += 1
        if not any(child.tag in ("failure", "error", "skipped") for child in case):
            passed += 1
    return Score(passed, total) if total else None


def scoreboard(reports: Path, names: list[str]) -> list[dict[str, Any]]:
    parity_path = reports / "parity.json"
    parity = json.loads(parity_path.read_text()) if parity_path.is_file() else {}
    rows = []
    for name in names:
        pg = reports / f"{name}-postgres.xml"
        par = parity.get("services", {}).get(name)
        rows.append(
            {
                "service": name,
                "unit": junit_score(reports / f"{name}-unit.xml"),
                "suite (postgres)": junit_score(pg, "tests.behaviour"),
                "suite (embedded)": junit_score(
                    reports / f"{name}-embedded.xml", "tests.behaviour"
                ),
                "drift": junit_score(pg, "test_drift"),
                "schemathesis": junit_score(reports / f"{name}-postgres" / "schemathesis.xml"),
                "parity": Score(par["agree"], par["total"]) if par else None,
            }
        )
    return rows


def rosetta(names: list[str]) -> dict[str, dict[str, tuple[list[str], str]]]:
    """practice -> service -> (file paths, how), read from each service README's table."""
    table: dict[str, dict[str, tuple[list[str], str]]] = {p: {} for p, _ in PRACTICES}
    for name in names:
        readme = REPO_ROOT / "services" / name / "README.md"
        if not readme.is_file():
            continue
        for line in readme.read_text().splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not line.startswith("|") or len(cells) < 3:
                continue
            key = cells[0].lower().strip("*` ")
            for practice, pattern in PRACTICES:
                if name not in table[practice] and re.search(pattern, key):
                    paths = re.findall(r"`([^`]+)`", cells[1]) or [cells[1]]
                    table[practice][name] = (paths, " | ".join(cells[2:]))
                    break
    return table


def resolve(name: str, path: str) -> str:
    """`path` as written in the service README, relative to the repository root."""
    base = REPO_ROOT / "services" / name
    clean = path.strip().split(" ", 1)[0]
    candidates = [base / clean, *[d / clean for d in base.iterdir() if d.is_dir()]]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate.relative_to(REPO_ROOT))
    return str((base / clean).relative_to(REPO_ROOT))


# ---- SVG --------------------------------------------------------------------------------------


def bar_chart(
    title: str, groups: list[tuple[str, list[tuple[str, float | None]]]], unit: str
) -> str:
    """Horizontal grouped bars: one group per scenario (scaled to its own maximum), one bar per
    target, each target in the same colour in every chart."""
    bar_h, gap, label_w, width = 16, 10, 130, 720
    height = 30 + sum(len(b) * bar_h + gap + 18 for _, b in groups)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11">',
        f"<title>{html.escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    y = 30
    for group, bars in groups:
        out.append(f'<text x="0" y="{y + 11}" font-weight="bold">{html.escape(group)}</text>')
        y += 16
        values = [v for _, v in bars if v is not None]
        top = max(values) if values and max(values) > 0 else 1.0
        for label, value in bars:
            colour = (
                COLOURS[TARGET_ORDER.index(label) % len(COLOURS)]
                if label in TARGET_ORDER
                else "#888"
            )
            out.append(
                f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">'
                f"{html.escape(label)}</text>"
            )
            if value is None:
                out.append(
                    f'<text x="{label_w}" y="{y + 12}" fill="#999">failed / not measured</text>'
                )
            else:
                w = max(1.0, (width - label_w - 110) * value / top)
                out.append(
                    f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 4}" '
                    f'fill="{colour}"><title>{html.escape(label)}: {value:,.1f} {unit}'
                    "</title></rect>"
                )
                out.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{y + 12}">{value:,.1f} {unit}</text>'
                )
            y += bar_h
        y += gap
    out.append("</svg>")
    return "\n".join(out)


# ---- model ------------------------------------------------------------------------------------


def _scenario_value(target: dict[str, Any], scenario: str, key: str) -> float | None:
    result = target.get("scenarios", {}).get(scenario, {})
    value = result.get(key) if result.get("status") == "ok" else None
    return float(value) if isinstance(value, int | float) else None


def _fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
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
                    _fmt(result["rps"]),
                    _fmt(result["p50_ms"], 2),
                    _fmt(result["p99_ms"], 2),
                    _fmt(result.get("pct_of_baseline"), 1, " %")
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
SCORE_KEYS = ["unit", "suite (postgres)", "suite (embedded)", "drift", "schemathesis", "parity"]


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
                _fmt(t.get("cold_start_s"), 2),
                _fmt(t.get("rss_mb_after_load")),
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


# ---- rendering --------------------------------------------------------------------------------


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


def charts(bench: dict[str, Any]) -> list[str]:
    targets = bench.get("targets", [])
    scenarios = bench.get("settings", {}).get("scenarios", [])
    services = [t for t in targets if t["kind"] == "service"]
    svgs = [
        bar_chart(
            "Throughput (req/s, median; higher is better)",
            [(s, [(t["name"], _scenario_value(t, s, "rps")) for t in targets]) for s in scenarios],
            "req/s",
        ),
        bar_chart(
            "Latency p99 (ms, median of runs; lower is better)",
            [
                (s, [(t["name"], _scenario_value(t, s, "p99_ms")) for t in targets])
                for s in scenarios
            ],
            "ms",
        ),
        bar_chart(
            "Latency p50 (ms, median of runs; lower is better)",
            [
                (s, [(t["name"], _scenario_value(t, s, "p50_ms")) for t in targets])
                for s in scenarios
            ],
            "ms",
        ),
    ]
    if any("pct_of_baseline" in r for t in services for r in t.get("scenarios", {}).values()):
        svgs.append(
            bar_chart(
                "Throughput as % of the bare baseline of its family, measured in the same run "
                "(ASGI: fastapi, sanic; WSGI: django, flask)",
                [
                    (s, [(t["name"], _scenario_value(t, s, "pct_of_baseline")) for t in services])
                    for s in scenarios
                ],
                "%",
            )
        )
    return svgs


def _score_cells(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [[r["service"], *[r[k].text() if r[k] else "not run" for k in SCORE_KEYS]] for r in rows]


def _rosetta_rows(
    table: dict[str, dict[str, tuple[list[str], str]]], names: list[str], as_html: bool
) -> list[list[str]]:
    rows = []
    for practice, _ in PRACTICES:
        row = [html.escape(practice) if as_html else practice]
        for name in names:
            found = table[practice].get(name)
            if found is None:
                row.append("—")
                continue
            paths, how = found
            links = []
            for p in paths:
                href = "../" + resolve(name, p)
                if as_html:
                    links.append(f'<a href="{html.escape(href)}"><code>{html.escape(p)}</code></a>')
                else:
                    links.append(f"[`{p}`]({href})")
            how_text = re.sub(r"`([^`]*)`", r"\1", how)
            row.append(
                ", ".join(links) + (f"<br>{html.escape(how_text)}" if as_html else f" — {how_text}")
            )
        rows.append(row)
    return rows


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


CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3} code{font-size:12px} .chart{display:block;margin:1.5em 0}
"""


def render_html(
    bench: dict[str, Any],
    score: list[dict[str, Any]],
    table: dict[str, dict[str, tuple[list[str], str]]],
    names: list[str],
) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Users API bake-off: FastAPI, Django, Flask, Sanic</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Users API bake-off</h1>",
        "<p>One users API (contract/openapi.yaml) implemented four times; every number below "
        "comes from this repository's own tooling (<code>bakeoff bench</code>, tox).</p>",
        "<h2>Conformance</h2>",
        "<p>passed/total test cases, read from the JUnit files under <code>reports/</code>.</p>",
        html_table(["service", *SCORE_KEYS], _score_cells(score)),
        "<h2>Performance</h2>",
    ]
    warning = load_warning(bench)
    if warning:
        parts.append(f"<p><strong>{html.escape(warning)}</strong></p>")
    if bench.get("targets"):
        parts.append(
            "<p>Each scenario's bars are scaled to that scenario's largest value; a target that "
            "answered any non-2xx or had a socket error in a run is shown as failed.</p>"
        )
        parts += charts(bench)
        parts.append(html_table(PERF_HEADER, performance_rows(bench)))
        parts += ["<h2>Resources and code size</h2>", html_table(RES_HEADER, resource_rows(bench))]
        header, rows = loc_rows(bench)
        parts += [
            "<h3>Lines of code by feature (tests and migrations excluded)</h3>",
            html_table(header, rows),
        ]
    else:
        parts.append("<p>Not measured: run <code>bakeoff bench</code> first.</p>")
    parts += [
        "<h2>Rosetta: each practice in each framework</h2>",
        html_table(["practice", *names], _rosetta_rows(table, names, True), raw=True),
        "<h2>Machine, versions, date</h2>",
        "".join(f"<p>{html.escape(line)}</p>" for line in environment_lines(bench)),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def render_markdown(
    bench: dict[str, Any],
    score: list[dict[str, Any]],
    table: dict[str, dict[str, tuple[list[str], str]]],
    names: list[str],
) -> str:
    parts = [
        "# Users API bake-off",
        "",
        "One users API (contract/openapi.yaml) implemented four times. The charts are in "
        "[index.html](index.html); the numbers are below.",
        "",
        "## Conformance",
        "",
        "passed/total test cases, read from the JUnit files under `reports/`.",
        "",
        md_table(["service", *SCORE_KEYS], _score_cells(score)),
        "",
        "## Performance",
        "",
    ]
    warning = load_warning(bench)
    if warning:
        parts += [f"**{warning}**", ""]
    if bench.get("targets"):
        parts += [
            md_table(PERF_HEADER, performance_rows(bench)),
            "",
            "## Resources and code size",
            "",
            md_table(RES_HEADER, resource_rows(bench)),
            "",
        ]
        header, rows = loc_rows(bench)
        parts += [
            "### Lines of code by feature (tests and migrations excluded)",
            "",
            md_table(header, rows),
            "",
        ]
    else:
        parts += ["Not measured: run `bakeoff bench` first.", ""]
    parts += [
        "## Rosetta: each practice in each framework",
        "",
        md_table(["practice", *names], _rosetta_rows(table, names, False)),
        "",
        "## Machine, versions, date",
        "",
        *[f"- {line}" for line in environment_lines(bench)],
        "",
    ]
    return "\n".join(parts)


def service_names() -> list[str]:
    """Every service folder, in the manifests' port order where they exist."""
    order = {s.name: s.port for s in all_services()}
    names = [p.name for p in (REPO_ROOT / "services").iterdir() if (p / "pyproject.toml").is_file()]
    return sorted(names, key=lambda n: (order.get(n, 1 << 30), n))


def write(bench_path: Path, reports: Path, out: Path) -> int:
    bench: dict[str, Any] = json.loads(bench_path.read_text()) if bench_path.is_file() else {}
    if not bench:
        log.warning("no %s: the page will say performance was not measured", bench_path)
    names = service_names()
    score = scoreboard(reports, names)
    table = rosetta(names)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(render_html(bench, score, table, names))
    (out / "README.md").write_text(render_markdown(bench, score, table, names))
    log.info("wrote %s and %s", out / "index.html", out / "README.md")
    return 0
