"""Conformance: passed/total per service, read from the JUnit files tox writes under reports/."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCORE_KEYS = ["unit", "suite (postgres)", "suite (embedded)", "drift", "schemathesis", "parity"]


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


def score_cells(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [[r["service"], *[r[k].text() if r[k] else "not run" for k in SCORE_KEYS]] for r in rows]
