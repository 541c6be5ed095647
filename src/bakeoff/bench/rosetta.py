"""The Rosetta table: each practice in each framework, read from every service README's tables
(its practices table, and its `## Endpoints` table for one operation of each kind)."""

from __future__ import annotations

import html
import re

from bakeoff.manifest import REPO_ROOT

# practice -> pattern searched in the first cell of each service README's practice table.
PRACTICES: tuple[tuple[str, str], ...] = (
    ("DI", r"^(dependency injection|di)\b"),
    ("settings", r"^settings"),
    ("logging", r"^logging"),
    ("errors", r"^errors?\b"),
    ("validation", r"^validation"),
    ("service layer", r"^service layer|^services\b"),
    ("repository", r"^repositor|^reads\b"),
    ("concurrency", r"^concurrency|^write recipe"),
    ("migrations", r"migrations"),
    ("background job", r"^background|^outbox"),
    ("versioning", r"^versioning"),
    ("docs", r"^openapi|^docs"),
    ("CORS", r"^cors"),
    ("security", r"^security|^passwords"),
    ("tests", r"^tests?\b"),
    ("server", r"^server|^deployment"),
)


# Row label -> operationId: one operation of each kind, from each README's `## Endpoints` table.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("sign-up (v2)", "v2_user_create"),
    ("token (v2)", "v2_token"),
    ("list (v2)", "v2_user_list"),
    ("PATCH (v2)", "v2_user_update"),
)
ENDPOINT_LAYERS = ("handler", "service", "repository", "model")
LINK = re.compile(r"\[`([^`]+)`\]\(([^)]+)\)")


def endpoint_cells(readme: str) -> dict[str, tuple[list[str], str]]:
    """operationId -> (files, "handler x -> service y -> ...") from the `## Endpoints` table."""
    section = readme.partition("\n## Endpoints\n")[2].split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 + len(ENDPOINT_LAYERS) or cells[0] in ("operationId", "---"):
            continue
        paths: list[str] = []
        steps = []
        for layer, cell in zip(ENDPOINT_LAYERS, cells[2:], strict=True):
            links = LINK.findall(cell)
            for _, target in links:
                if target not in paths:
                    paths.append(target)
            if links:
                steps.append(f"{layer} " + ", ".join(f"`{symbol}`" for symbol, _ in links))
        found[cells[0].strip("`")] = (paths, " → ".join(steps))
    return found


def rosetta(names: list[str]) -> dict[str, dict[str, tuple[list[str], str]]]:
    """practice -> service -> (file paths, how), read from each service README's tables."""
    rows = [p for p, _ in PRACTICES] + [label for label, _ in OPERATIONS]
    table: dict[str, dict[str, tuple[list[str], str]]] = {row: {} for row in rows}
    for name in names:
        readme = REPO_ROOT / "services" / name / "README.md"
        if not readme.is_file():
            continue
        endpoints = endpoint_cells(readme.read_text())
        for label, operation in OPERATIONS:
            if operation in endpoints:
                table[label][name] = endpoints[operation]
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


def rosetta_rows(
    table: dict[str, dict[str, tuple[list[str], str]]], names: list[str], as_html: bool
) -> list[list[str]]:
    rows = []
    for practice in table:
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
