"""The broker is down at sign-up: the create still succeeds and every email goes out, once, when
the broker is back (design: "The welcome email ... is never lost")."""

from __future__ import annotations

import time

import httpx

from tests.faults.infra import PrivatePostgres, PrivateRedis
from tests.faults.outbox import assert_broker_idle, assert_delivered_once
from tests.support.assertions import describe
from tests.support.live import LiveService
from tests.support.users import unique_email

USERS_DURING_OUTAGE = 3
CREATE_DEADLINE_SECONDS = 10.0
DELIVERY_DEADLINE_SECONDS = 90.0


def test_users_created_while_the_broker_is_down_get_their_email_once(
    live: LiveService,
    database: PrivatePostgres,
    broker: PrivateRedis,
    welcome_mails: dict[str, str],
) -> None:
    broker.stop()
    emails = []
    with httpx.Client(base_url=live.base_url, timeout=CREATE_DEADLINE_SECONDS) as client:
        for i in range(USERS_DURING_OUTAGE):
            email = unique_email("outage")
            welcome_mails[email] = f"Welcome, Outage {i}!"
            started = time.monotonic()
            resp = client.post(
                "/api/v2/users",
                json={"email": email, "name": f"Outage {i}", "password": "correct-horse-battery"},
            )
            assert resp.status_code == 201, describe(resp)
            assert time.monotonic() - started < CREATE_DEADLINE_SECONDS
            emails.append(email)
        assert all(not live.inbox.wait_for(e, timeout=0.1) for e in emails)

        broker.start()
        deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
        for email in emails:
            remaining = max(0.1, deadline - time.monotonic())
            assert live.inbox.wait_for(email, timeout=remaining), f"no email for {email}"
    for email in emails:
        assert_delivered_once(database.url, email)
        mails = live.inbox.wait_for(email, timeout=0.1)
        assert [m.subject for m in mails] == [welcome_mails[email]], mails
    assert_broker_idle(broker.port)
