"""Inline SVG bar charts: no script, no external asset, one colour per target in every chart."""

from __future__ import annotations

import html
from typing import Any

from bakeoff.bench.tables import scenario_value

TARGET_ORDER = ("asgi-baseline", "wsgi-baseline", "fastapi", "django", "flask", "sanic")
COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f")


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


def charts(bench: dict[str, Any]) -> list[str]:
    targets = bench.get("targets", [])
    scenarios = bench.get("settings", {}).get("scenarios", [])
    services = [t for t in targets if t["kind"] == "service"]
    svgs = [
        bar_chart(
            "Throughput (req/s, median; higher is better)",
            [(s, [(t["name"], scenario_value(t, s, "rps")) for t in targets]) for s in scenarios],
            "req/s",
        ),
        bar_chart(
            "Latency p99 (ms, median of runs; lower is better)",
            [
                (s, [(t["name"], scenario_value(t, s, "p99_ms")) for t in targets])
                for s in scenarios
            ],
            "ms",
        ),
        bar_chart(
            "Latency p50 (ms, median of runs; lower is better)",
            [
                (s, [(t["name"], scenario_value(t, s, "p50_ms")) for t in targets])
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
                    (s, [(t["name"], scenario_value(t, s, "pct_of_baseline")) for t in services])
                    for s in scenarios
                ],
                "%",
            )
        )
    return svgs
