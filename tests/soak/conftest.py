"""One live service for the soak, on PostgreSQL + Redis with two API processes; the summary line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.live import LiveService, StartupError, live_service

SUMMARIES = pytest.StashKey[list[str]]()
WEB_CONCURRENCY = 2


@pytest.fixture(scope="module")
def soak_service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    name = request.config.getoption("--service")
    if not name:
        raise pytest.UsageError("choose the service under test: --service NAME or BAKEOFF_SERVICE")
    tmp_dir: Path = tmp_path_factory.mktemp(f"{name}-soak")
    try:
        with live_service(
            str(name),
            "postgres",
            tmp_dir,
            extra_env={"WEB_CONCURRENCY": str(WEB_CONCURRENCY)},
        ) as live:
            yield live
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def soak_summaries(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash.setdefault(SUMMARIES, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(SUMMARIES, [])
    if lines:
        terminalreporter.section("soak")
        for line in lines:
            terminalreporter.write_line(line)
