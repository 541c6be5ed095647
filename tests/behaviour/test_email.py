"""The welcome email: sent once by the worker to the new address, with the create's request id."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import httpx
import pytest

from bakeoff.mailcatcher import Mail
from tests.support.assertions import assert_json, assert_problem
from tests.support.live import LiveService
from tests.support.users import unique_email

DELIVERY_SECONDS = 10.0
# Long enough for a periodic outbox relay (every ~5 s) to send a duplicate if it were going to.
DUPLICATE_WATCH_SECONDS = 7.0


@dataclass
class Welcomed:
    email: str
    name: str
    request_id: str
    log_offset: int
    mails: list[Mail]
    arrived_at: float


def sign_up(
    api: httpx.Client, service: LiveService, version: int, email: str, name: str
) -> Welcomed:
    request_id = f"welcome-v{version}-{uuid.uuid4().hex}"
    key = "full_name" if version == 1 else "name"
    offset = service.log_path.stat().st_size
    resp = api.post(
        f"/api/v{version}/users",
        json={"email": email, key: name, "password": "correct-horse-battery"},
        headers={"X-Request-ID": request_id},
    )
    assert_json(resp, 201)
    assert resp.headers["X-Request-ID"] == request_id
    return Welcomed(email.strip().lower(), name.strip(), request_id, offset, [], 0.0)


@pytest.fixture(scope="module")
def welcomed(api: httpx.Client, service: LiveService) -> list[Welcomed]:
    """Two sign-ups (one per version), each waited for in the sink."""
    first_email = unique_email("welcome-v1")
    created = [
        sign_up(api, service, 1, first_email, "Ada Lovelace"),
        sign_up(api, service, 2, f"  {unique_email('welcome-v2').upper()} ", "  Grace Hopper "),
    ]
    # A refused duplicate sign-up must not send anything.
    dup = api.post(
        "/api/v2/users",
        json={"email": first_email, "name": "Impostor", "password": "correct-horse-battery"},
    )
    assert_problem(dup, 409, "/problems/conflict")
    started = time.monotonic()
    for item in created:
        remaining = max(0.1, started + DELIVERY_SECONDS - time.monotonic())
        item.mails = service.inbox.wait_for(item.email, timeout=remaining)
        item.arrived_at = time.monotonic()
    return created


@pytest.mark.parametrize("index", [0, 1], ids=["v1", "v2"])
def test_welcome_email_arrives_within_10_seconds(welcomed: list[Welcomed], index: int) -> None:
    item = welcomed[index]
    assert item.mails, f"no welcome email to {item.email} within {DELIVERY_SECONDS:.0f}s"
    mail = item.mails[0]
    assert mail.recipients == (item.email,)
    assert mail.subject == f"Welcome, {item.name}!"
    assert mail.request_id == item.request_id
    assert mail.sender == "no-reply@users-api.local"
    assert mail.body.strip()


def test_exactly_one_email_per_user(welcomed: list[Welcomed], service: LiveService) -> None:
    latest = max(item.arrived_at for item in welcomed)
    time.sleep(max(0.0, latest + DUPLICATE_WATCH_SECONDS - time.monotonic()))
    for item in welcomed:
        mails = [m for m in service.inbox.all() if item.email in m.recipients]
        assert len(mails) == 1, f"{len(mails)} emails to {item.email}"
    assert not [m for m in service.inbox.all() if service.admin_email in m.recipients], (
        "the bootstrapped admin got a welcome email"
    )


@pytest.mark.parametrize("index", [0, 1], ids=["v1", "v2"])
def test_request_id_reaches_the_worker_log(
    welcomed: list[Welcomed], service: LiveService, index: int
) -> None:
    item = welcomed[index]
    assert item.mails, "no email, so no job to look for"

    def job_lines() -> list[str]:
        with service.log_path.open("rb") as log:
            log.seek(item.log_offset)
            text = log.read().decode(errors="replace")
        # The launcher prefixes every line with the process that wrote it.
        worker = f"{service.name}-worker | "
        return [
            line
            for line in text.splitlines()
            if line.startswith(worker) and item.request_id in line
        ]

    deadline = time.monotonic() + DELIVERY_SECONDS
    while not job_lines() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job_lines(), f"request id {item.request_id} not in the worker's log lines"
