"""SMTP refuses for a while: the job retries with back-off, then delivers exactly once."""

from __future__ import annotations

import time

import httpx

from tests.support.assertions import describe
from tests.support.live import LiveService
from tests.support.users import unique_email

REFUSAL_SECONDS = 12.0
DELIVERY_DEADLINE_SECONDS = 120.0
DUPLICATE_WATCH_SECONDS = 8.0


def test_refused_email_is_retried_and_delivered_once(live: LiveService) -> None:
    email = unique_email("smtp-refused")
    live.inbox.refusing = True
    try:
        with httpx.Client(base_url=live.base_url, timeout=30) as client:
            resp = client.post(
                "/api/v2/users",
                json={
                    "email": email,
                    "name": "Patient Person",
                    "password": "correct-horse-battery",
                },
            )
        assert resp.status_code == 201, describe(resp)
        time.sleep(REFUSAL_SECONDS)
        assert live.inbox.wait_for(email, timeout=0.1) == []
    finally:
        live.inbox.refusing = False
    mails = live.inbox.wait_for(email, timeout=DELIVERY_DEADLINE_SECONDS)
    assert mails, f"no email within {DELIVERY_DEADLINE_SECONDS}s after SMTP came back"
    time.sleep(DUPLICATE_WATCH_SECONDS)
    assert [m.subject for m in live.inbox.wait_for(email, timeout=0.1)] == [
        "Welcome, Patient Person!"
    ]
