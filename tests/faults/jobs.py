"""Welcome-email jobs the fault tests hold in the middle of their SMTP dialogue."""

from __future__ import annotations

import time

import httpx

from tests.support.assertions import describe
from tests.support.live import LiveService

REACH_SMTP_DEADLINE_SECONDS = 30.0


def sign_up_with_held_email(live: LiveService, *, email: str, name: str, hold: float) -> None:
    """Sign `email` up and return once the worker is held `hold` seconds inside its SMTP dialogue
    (before DATA: the mail exists only if the job runs to its end)."""
    live.inbox.stall_once(email, hold)
    with httpx.Client(base_url=live.base_url, timeout=30) as client:
        resp = client.post(
            "/api/v2/users",
            json={"email": email, "name": name, "password": "correct-horse-battery"},
        )
    assert resp.status_code == 201, describe(resp)
    deadline = time.monotonic() + REACH_SMTP_DEADLINE_SECONDS
    while email not in live.inbox.stalled and time.monotonic() < deadline:
        time.sleep(0.1)
    assert email in live.inbox.stalled, "the worker never reached the SMTP server"
