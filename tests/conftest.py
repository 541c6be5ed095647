"""One live service per session, chosen by `--service`; the suite never knows its framework."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live import LiveService, StartupError, live_service
from tests.support.tokens import bearer
from tests.support.users import ApiUser, UserFactory, login

BACKENDS = ("embedded", "postgres")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bakeoff")
    group.addoption(
        "--service",
        default=os.environ.get("BAKEOFF_SERVICE"),
        help="service under test (a folder in services/); default $BAKEOFF_SERVICE",
    )
    group.addoption(
        "--backend",
        default=os.environ.get("BAKEOFF_BACKEND", "embedded"),
        choices=BACKENDS,
        help="embedded (SQLite + SQLAlchemy broker) or postgres (PostgreSQL + Redis); "
        "default $BAKEOFF_BACKEND, else embedded",
    )


@pytest.fixture(scope="session")
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    name = request.config.getoption("--service")
    if not name:
        raise pytest.UsageError("choose the service under test: --service NAME or BAKEOFF_SERVICE")
    backend = str(request.config.getoption("--backend"))
    tmp_dir: Path = tmp_path_factory.mktemp(f"{name}-{backend}")
    try:
        with live_service(str(name), backend, tmp_dir) as live:
            yield live
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def api(service: LiveService) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.base_url, timeout=30.0) as client:
        yield client


@pytest.fixture(scope="session")
def admin_token(api: httpx.Client, service: LiveService) -> str:
    return login(api, service.admin_email, service.admin_password)


@pytest.fixture(scope="session")
def admin_headers(admin_token: str) -> dict[str, str]:
    return bearer(admin_token)


@pytest.fixture(scope="session")
def users(api: httpx.Client, service: LiveService) -> UserFactory:
    return UserFactory(api, service.secret_key)


@pytest.fixture
def user(users: UserFactory) -> ApiUser:
    """A fresh v1-created user, owned by the one test that asks for it."""
    return users.create()
