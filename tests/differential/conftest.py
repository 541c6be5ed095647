"""The fleet: all four services side by side, each on a fresh database, seeded the same way."""

from __future__ import annotations

import contextlib
import logging
import os
import random
from collections.abc import Iterator

import httpx
import pytest

from bakeoff.manifest import all_services
from tests.parity.corpus import CORS_ORIGIN, Corpus, _setup
from tests.parity.replay import Replayer
from tests.support.live import StartupError, live_service

Fleet = dict[str, Replayer]
log = logging.getLogger(__name__)


def fuzz_seed() -> int:
    """`BAKEOFF_FUZZ_SEED`: `random` picks one (and the run prints it); else the fixed default."""
    chosen = os.environ.get("BAKEOFF_FUZZ_SEED", "20261201")
    return random.SystemRandom().randrange(2**32) if chosen == "random" else int(chosen)


def fuzz_requests() -> int:
    """`BAKEOFF_FUZZ_REQUESTS`: generated requests per run; 0 runs until a difference is found."""
    return int(os.environ.get("BAKEOFF_FUZZ_REQUESTS", "2000"))


SEED = fuzz_seed()


def pytest_report_header() -> str:
    """In pytest's own header, so a random seed is on screen before the first request."""
    return f"differential fuzzing: seed {SEED} (BAKEOFF_FUZZ_SEED={SEED} replays this run)"


@pytest.fixture(scope="session")
def seed() -> int:
    log.info("differential fuzzing with seed %d", SEED)
    return SEED


@pytest.fixture(scope="session")
def fleet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fleet]:
    backend = str(request.config.getoption("--backend"))
    setup = Corpus()
    _setup(setup)
    with contextlib.ExitStack() as stack:
        replayers: Fleet = {}
        for service in all_services():
            tmp_dir = tmp_path_factory.mktemp(f"differential-{service.name}")
            try:
                live = stack.enter_context(
                    live_service(
                        service.name, backend, tmp_dir, extra_env={"CORS_ORIGINS": CORS_ORIGIN}
                    )
                )
            except StartupError as exc:
                pytest.fail(f"{service.name} did not start: {exc}", pytrace=False)
            client = stack.enter_context(httpx.Client(base_url=live.base_url, timeout=30.0))
            replayer = Replayer(live, client)
            for step in setup.steps:
                recorded = replayer.run(step)
                if recorded.get("status", 0) >= 300 or "transport_error" in recorded:
                    pytest.fail(f"{service.name}: setup step {step.id} answered {recorded}")
            replayers[service.name] = replayer
        yield replayers
