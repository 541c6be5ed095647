from __future__ import annotations

import pytest

from tests.support.live import LiveService


@pytest.fixture(scope="session")
def service_secret(service: LiveService) -> str:
    return service.secret_key
