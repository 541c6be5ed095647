"""One service instance for all fault tests, on private servers the tests may stop and start.

Modules run in file-name order; the last one shuts the service down.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.infra import PrivatePostgres, PrivateRedis, private_postgres, private_redis
from tests.support.live import LiveService, live_service


@pytest.fixture(scope="package")
def database() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


@pytest.fixture(scope="package")
def broker() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


@pytest.fixture(scope="package")
def live(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database: PrivatePostgres,
    broker: PrivateRedis,
) -> Iterator[LiveService]:
    name = str(request.config.getoption("--service"))
    tmp_dir: Path = tmp_path_factory.mktemp(f"{name}-faults")
    # Two server processes: the failed-login limit must hold across them. A short redelivery age
    # keeps the lost-job test quick; test_8 proves it causes no second email.
    with live_service(
        name,
        "postgres",
        tmp_dir,
        database_url=database.url,
        broker_url=broker.url,
        extra_env={"WEB_CONCURRENCY": "2", "OUTBOX_REDELIVER_AFTER_SECONDS": "10"},
    ) as service:
        yield service


@pytest.fixture(scope="package")
def welcome_mails() -> dict[str, str]:
    """Every address the package signed up, with the subject of the one email it must get: tests
    add to it, test_8 checks all of them once the relay has had time to send anything twice."""
    return {}
