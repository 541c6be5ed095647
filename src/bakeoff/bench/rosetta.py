"""The Rosetta table: each practice in each framework, read from every service README's table."""

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
    ("repository", r"^repositor|^reads\b"),
    ("migrations", r"migrations"),
    ("background job", r"^background|^outbox"),
    ("versioning", r"^versioning"),
    ("docs", r"^openapi|^docs"),
    ("tests", r"^tests?\b"),
    ("server", r"^server|^deployment"),
)


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


def rosetta_rows(
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
