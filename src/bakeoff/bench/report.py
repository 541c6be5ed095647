"""`bakeoff report`: a self-contained HTML page (inline SVG, no external asset) + Markdown twin."""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path
from typing import Any

from bakeoff.bench.rosetta import rosetta, rosetta_rows
from bakeoff.bench.scores import SCORE_KEYS, score_cells, scoreboard
from bakeoff.bench.svg import charts
from bakeoff.bench.tables import (
    PERF_HEADER,
    RES_HEADER,
    environment_lines,
    html_table,
    load_warning,
    loc_rows,
    md_table,
    performance_rows,
    resource_rows,
)
from bakeoff.manifest import REPO_ROOT, all_services

log = logging.getLogger("bakeoff")

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
        html_table(["service", *SCORE_KEYS], score_cells(score)),
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
        html_table(["practice", *names], rosetta_rows(table, names, True), raw=True),
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
        md_table(["service", *SCORE_KEYS], score_cells(score)),
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
        md_table(["practice", *names], rosetta_rows(table, names, False)),
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
