"""What the fault tests read behind the API: the outbox table, the broker's Redis, the SMTP sink.

Every service keeps its jobs in a table `outbox` (`id`, `payload` with the recipient's `email`,
`published_at`, `delivered_at`) and runs Celery on Redis (queue list `celery`, unacknowledged
jobs in the hash `unacked` and the sorted set `unacked_index`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import psycopg
import redis

from bakeoff.mailcatcher import Inbox

# The relay runs every 5 s in every service (its beat schedule).
RELAY_INTERVAL_SECONDS = 5.0
DELIVERED_AT_DEADLINE_SECONDS = 15.0
BROKER_IDLE_DEADLINE_SECONDS = 20.0
# How often a held row's redelivery clock is pushed out of the relay's reach again (the service
# restarts it on every retry it publishes; the relay needs it OUTBOX_REDELIVER_AFTER_SECONDS old).
HOLD_PUSH_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class OutboxRow:
    id: int
    published_at: datetime | None
    delivered_at: datetime | None


def outbox_rows(database_url: str, email: str) -> list[OutboxRow]:
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT id, published_at, delivered_at FROM outbox"
            " WHERE lower(payload->>'email') = lower(%s) ORDER BY id",
            (email,),
        ).fetchall()
    return [OutboxRow(int(r[0]), r[1], r[2]) for r in rows]


def all_outbox_rows(database_url: str) -> dict[str, list[OutboxRow]]:
    """Every outbox row, by recipient (lower-cased)."""
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT lower(payload->>'email'), id, published_at, delivered_at FROM outbox"
            " ORDER BY id"
        ).fetchall()
    found: dict[str, list[OutboxRow]] = {}
    for email, *row in rows:
        found.setdefault(str(email), []).append(OutboxRow(int(row[0]), row[1], row[2]))
    return found


def assert_delivered_once(database_url: str, email: str) -> OutboxRow:
    """The sign-up wrote exactly one outbox row, and the worker recorded its delivery (without
    `delivered_at` the relay publishes the job again after OUTBOX_REDELIVER_AFTER_SECONDS)."""
    deadline = time.monotonic() + DELIVERED_AT_DEADLINE_SECONDS
    rows = outbox_rows(database_url, email)
    while not (len(rows) == 1 and rows[0].delivered_at is not None) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
        rows = outbox_rows(database_url, email)
    assert len(rows) == 1, f"{email}: expected one outbox row, found {rows}"
    assert rows[0].delivered_at is not None, (
        f"{email}: the email arrived but the outbox row was not marked delivered within "
        f"{DELIVERED_AT_DEADLINE_SECONDS:.0f}s: {rows[0]}"
    )
    return rows[0]


def broker_backlog(port: int) -> dict[str, int]:
    client = redis.Redis(port=port, socket_timeout=5)
    try:
        return {
            "celery": int(client.llen("celery")),
            "unacked": int(client.hlen("unacked")),
            "unacked_index": int(client.zcard("unacked_index")),
        }
    finally:
        client.close()


def assert_broker_idle(port: int, timeout: float = BROKER_IDLE_DEADLINE_SECONDS) -> None:
    """Nothing is queued or unacknowledged: no job (or retry) is left over, stuck or lost in flight.

    Polled: the relay's own job passes through the queue every few seconds."""
    deadline = time.monotonic() + timeout
    backlog = broker_backlog(port)
    while any(backlog.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
        backlog = broker_backlog(port)
    assert not any(backlog.values()), f"the broker still holds jobs after {timeout:.0f}s: {backlog}"


@contextlib.contextmanager
def redelivery_out_of_reach(database_url: str, email: str) -> Iterator[None]:
    """While inside, the relay never publishes `email`'s job again: its `published_at` is kept a
    day ahead (the relay publishes a row again only once it is OUTBOX_REDELIVER_AFTER_SECONDS old).
    Only the worker and the broker can then bring the job to its end. A row the worker holds
    locked is left alone until it lets go. On exit the redelivery clock restarts from now, so the
    package's duplicate watch covers the row like any other."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def push() -> None:
        try:
            with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
                while not stop.is_set():
                    conn.execute(
                        "UPDATE outbox SET published_at = now() + interval '1 day' WHERE id IN"
                        " (SELECT id FROM outbox WHERE lower(payload->>'email') = lower(%s)"
                        " AND delivered_at IS NULL FOR UPDATE SKIP LOCKED)",
                        (email,),
                    )
                    stop.wait(HOLD_PUSH_EVERY_SECONDS)
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    thread = threading.Thread(target=push, name=f"hold-{email}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
        with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(
                "UPDATE outbox SET published_at = now()"
                " WHERE lower(payload->>'email') = lower(%s) AND published_at > now()",
                (email,),
            )
    assert not errors, f"could not keep the relay away from {email}'s job: {errors[0]!r}"


class CountingRefusal:
    """Set as `Inbox.refusing`: the sink refuses every recipient while it is truthy and asks it
    once per RCPT, so `count` is the number of refused delivery attempts."""

    def __init__(self) -> None:
        self.count = 0

    def __bool__(self) -> bool:
        self.count += 1
        return True


@contextlib.contextmanager
def refusing(inbox: Inbox) -> Iterator[CountingRefusal]:
    refusal = CountingRefusal()
    inbox.refusing = refusal  # type: ignore[assignment]
    try:
        yield refusal
    finally:
        inbox.refusing = False
