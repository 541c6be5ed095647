"""Every address the package signed up got exactly one email, and nothing else was sent.

The last test while the service still runs (test_9 shuts it down). It first waits out the relay's
redelivery age plus two relay runs with the database, the broker and the worker all up, so any job
the service would send twice (a delivery not recorded, a retry or a relay copy not skipped) has
been sent twice by the time the inbox is read.
"""

from __future__ import annotations

import time

from tests.faults.infra import PrivatePostgres, PrivateRedis
from tests.faults.outbox import RELAY_INTERVAL_SECONDS, all_outbox_rows, assert_broker_idle
from tests.support.live import LiveService

# The publish of a relay copy and its delivery, beyond the relay's schedule.
DELIVERY_SLACK_SECONDS = 3.0


def test_every_address_got_exactly_one_email(
    live: LiveService,
    database: PrivatePostgres,
    broker: PrivateRedis,
    welcome_mails: dict[str, str],
) -> None:
    assert welcome_mails, "no test registered the addresses it signed up"
    redeliver_after = float(live.env["OUTBOX_REDELIVER_AFTER_SECONDS"])
    time.sleep(redeliver_after + 2 * RELAY_INTERVAL_SECONDS + DELIVERY_SLACK_SECONDS)

    received: dict[str, list[str]] = {}
    for mail in live.inbox.all():
        for recipient in mail.recipients:
            received.setdefault(recipient.lower(), []).append(mail.subject)
    expected = {email.lower(): [subject] for email, subject in welcome_mails.items()}
    assert {e: received.get(e, []) for e in expected} == expected
    unexpected = {e: s for e, s in received.items() if e not in expected}
    assert not unexpected, f"emails to addresses no test signed up: {unexpected}"

    rows = all_outbox_rows(database.url)
    assert set(expected) <= set(rows), (
        f"sign-ups without an outbox row: {set(expected) - set(rows)}"
    )
    undelivered = {e: r for e, r in rows.items() if any(row.delivered_at is None for row in r)}
    assert not undelivered, f"outbox rows never marked delivered: {undelivered}"
    doubled = {e: r for e, r in rows.items() if len(r) != 1}
    assert not doubled, f"addresses with more than one outbox row: {doubled}"
    assert_broker_idle(broker.port)
