"""A real headless Chromium opens each service's Swagger UI and the comparison report.

It checks that the operations and the charts render, that no request leaves this machine, and
saves screenshots under reports/browser/. Chromium is Debian's package (`apt-get install -y
chromium`); Playwright only drives it (it downloads no browser of its own).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

from bakeoff.bench import report
from bakeoff.manifest import all_services
from tests.support.live import REPO_ROOT, StartupError, live_service

SHOTS = REPO_ROOT / "reports" / "browser"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Every operation of contract/openapi.yaml.
OPERATIONS = 16


def chromium_path() -> str:
    path = os.environ.get("BAKEOFF_CHROMIUM") or shutil.which("chromium")
    if path is None:
        pytest.fail("Chromium is missing: apt-get install -y chromium (or set BAKEOFF_CHROMIUM)")
    return path


def browser_services() -> list[str]:
    chosen = os.environ.get("BAKEOFF_BROWSER_SERVICES")
    return [n for n in chosen.split(",") if n] if chosen else [s.name for s in all_services()]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright starts Chromium on a fresh temporary profile (its own --user-data-dir).
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Outbound:
    """Every request the page makes; anything not on this machine is blocked and remembered."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.foreign: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route: object, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.foreign.append(url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]


def check_docs(browser: Browser, name: str, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 2400})
    outbound = Outbound(page)
    response = page.goto(f"{base_url}/docs", wait_until="networkidle")
    assert response is not None
    assert response.status == 200, f"/docs answered {response.status}"
    page.wait_for_selector(".opblock", timeout=30_000)
    operations = page.locator(".opblock").count()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-docs.png"), full_page=True)
    assert outbound.foreign == [], f"requests left the machine: {outbound.foreign}"
    assert operations >= OPERATIONS, f"{operations} operations rendered, want {OPERATIONS}"
    text = page.inner_text("body")
    for path in ("/api/v2/users", "/api/v1/users", "/api/v2/auth/token", "/health"):
        assert path in text, f"{path} missing from the rendered page"
    page.close()


@pytest.mark.parametrize("name", browser_services())
def test_swagger_ui_renders_every_operation_offline(
    name: str, browser: Browser, tmp_path: Path
) -> None:
    try:
        with live_service(name, "embedded", tmp_path) as live:
            check_docs(browser, name, live.base_url)
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)


SAMPLE_BENCH = {
    "date": "2026-11-25T00:00:00Z",
    "machine": {"cpu": "test", "cores": 2},
    "wrk": "wrk test",
    "settings": {"backend": "postgres", "scenarios": ["health", "get"], "runs": 1},
    "targets": [
        {"name": "asgi-baseline", "kind": "baseline", "family": "asgi",
         "scenarios": {"health": {"status": "ok", "rps": 1000.0, "p50_ms": 1.0, "p99_ms": 2.0},
                       "get": {"status": "ok", "rps": 500.0, "p50_ms": 2.0, "p99_ms": 4.0}}},
        {"name": "fastapi", "kind": "service", "family": "asgi", "loc_by_feature": {"users": 10},
         "scenarios": {"health": {"status": "ok", "rps": 800.0, "p50_ms": 1.5, "p99_ms": 3.0,
                                  "pct_of_baseline": 80.0},
                       "get": {"status": "failed", "error": "12 non-2xx/3xx responses"}}},
    ],
}  # fmt: skip


def check_report(browser: Browser, html_path: Path, shot: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 1600})
    outbound = Outbound(page)
    page.goto(html_path.as_uri(), wait_until="load")
    charts = page.locator("svg.chart")
    assert charts.count() >= 3, f"{charts.count()} charts rendered"
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None, f"chart {i} is not laid out"
        assert box["width"] > 100, f"chart {i} is {box['width']}px wide"
        assert box["height"] > 50, f"chart {i} is {box['height']}px high"
    assert page.locator("svg.chart rect").count() > 0, "no bar drawn"
    assert page.locator("table").count() >= 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    assert [u for u in outbound.requests if not u.startswith("file:")] == [], outbound.requests
    page.close()


def test_report_renders_its_charts_self_contained(browser: Browser, tmp_path: Path) -> None:
    import json

    bench = tmp_path / "bench.json"
    bench.write_text(json.dumps(SAMPLE_BENCH))
    assert report.write(bench, tmp_path / "reports", tmp_path / "out") == 0
    check_report(browser, tmp_path / "out" / "index.html", "report-sample.png")
    text = (tmp_path / "out" / "index.html").read_text()
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text


def test_committed_report_renders(browser: Browser) -> None:
    committed = REPO_ROOT / "docs" / "report.html"
    assert committed.is_file(), "docs/report.html is missing: run `make compare` and commit it"
    check_report(browser, committed, "report-committed.png")
