"""SMTP refuses for a while: the job retries with back-off, then delivers exactly once.

The relay is kept from publishing the job again (its redelivery is out of reach) for the whole
test, so every attempt and the final delivery are the worker's own retries.
"""

from __future__ import annotations

import time

import httpx

from tests.faults.infra import PrivatePostgres, PrivateRedis
from tests.faults.outbox import (
    assert_broker_idle,
    assert_delivered_once,
    outbox_rows,
    redelivery_out_of_reach,
    refusing,
)
from tests.support.assertions import describe
from tests.support.live import LiveService
from tests.support.users import unique_email

# Long enough for the first attempt and at least one retry (the first back-off is at most 2 s).
REFUSAL_SECONDS = 6.0
REFUSALS_AT_LEAST = 2
DELIVERY_DEADLINE_SECONDS = 120.0


def test_refused_email_is_retried_and_delivered_once(
    live: LiveService,
    database: PrivatePostgres,
    broker: PrivateRedis,
    welcome_mails: dict[str, str],
) -> None:
    email = unique_email("smtp-refused")
    welcome_mails[email] = "Welcome, Patient Person!"
    with redelivery_out_of_reach(database.url, email):
        with refusing(live.inbox) as refusal:
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
            rows = outbox_rows(database.url, email)
        assert len(rows) == 1, rows
        assert rows[0].delivered_at is None, "a refused email was recorded as delivered"
        assert refusal.count >= REFUSALS_AT_LEAST, (
            f"the sink refused {refusal.count} attempt(s) in {REFUSAL_SECONDS:.0f}s: "
            "the job is not retried with back-off"
        )
        # The relay still cannot publish the job again: the delivery is a retry's.
        mails = live.inbox.wait_for(email, timeout=DELIVERY_DEADLINE_SECONDS)
        assert mails, f"no email within {DELIVERY_DEADLINE_SECONDS:.0f}s after SMTP came back"
        assert_delivered_once(database.url, email)
    assert [m.subject for m in live.inbox.wait_for(email, timeout=0.1)] == [welcome_mails[email]]
    assert_broker_idle(broker.port)
