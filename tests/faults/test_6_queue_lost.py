"""The broker loses a job after it was published (Redis restarted without persistence while the job
was still queued): the outbox relay publishes it again and the email arrives, once (design: "The
welcome email ... is never lost" must not depend on the broker keeping its queue)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from datetime import datetime

import httpx
import psycopg
import redis

from tests.faults.infra import PrivatePostgres, PrivateRedis
from tests.faults.outbox import assert_broker_idle, assert_delivered_once
from tests.support.assertions import describe
from tests.support.live import LiveService
from tests.support.procs import children_by_parent, is_celery_worker, subtree
from tests.support.users import unique_email

# kombu's Redis consumer blocks in BRPOP for 1 s at a time: once that has run out, a frozen worker
# holds no pending pop and a new job stays in the Redis list.
BRPOP_EXPIRY_SECONDS = 3.0
PUBLISH_DEADLINE_SECONDS = 20.0
# The conftest's OUTBOX_REDELIVER_AFTER_SECONDS, at most this (the wait stays bounded)...
REDELIVER_AFTER_MAX_SECONDS = 30.0
# ...plus time for the relay (every 5 s) and the worker's reconnection to the restarted broker.
REDELIVERY_SLACK_SECONDS = 60.0


def worker_processes(launcher_pid: int) -> list[int]:
    """The Celery worker's main process first, then everything below it (pool, embedded beat)."""
    children = children_by_parent()
    below_launcher = subtree(launcher_pid, children)[1:]
    main = next((pid for pid in below_launcher if is_celery_worker(pid)), None)
    assert main is not None, f"no Celery worker below the launcher (pid {launcher_pid})"
    return subtree(main, children)


@contextlib.contextmanager
def frozen(pids: list[int]) -> Iterator[None]:
    """SIGSTOP every process (main first), and always SIGCONT them again (main last)."""
    stopped = []
    try:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
        yield
    finally:
        for pid in reversed(stopped):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def published_row(database_url: str, email: str) -> tuple[int, datetime] | None:
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT id, published_at FROM outbox WHERE payload->>'email' = %s", (email,)
        ).fetchone()
    if row is None or row[1] is None:
        return None
    return int(row[0]), row[1]


def queued_jobs(port: int, outbox_id: int) -> int:
    """How many messages in the broker's Redis lists carry the email job of `outbox_id`."""
    client = redis.Redis(port=port, socket_timeout=5)
    try:
        found = 0
        for key in client.scan_iter():
            if client.type(key) != b"list":
                continue
            for raw in client.lrange(key, 0, -1):
                with contextlib.suppress(ValueError, KeyError, TypeError, IndexError):
                    message = json.loads(raw)
                    body = message["body"]
                    if message.get("properties", {}).get("body_encoding") == "base64":
                        body = base64.b64decode(body)
                    args = json.loads(body)[0]
                    task = str(message.get("headers", {}).get("task", ""))
                    found += "welcome" in task and list(args[:1]) == [outbox_id]
        return found
    finally:
        client.close()


def test_job_lost_by_the_broker_is_published_again_and_sent_once(
    live: LiveService,
    database: PrivatePostgres,
    broker: PrivateRedis,
    welcome_mails: dict[str, str],
) -> None:
    redeliver_after = float(live.env["OUTBOX_REDELIVER_AFTER_SECONDS"])
    email = unique_email("lost-job")
    welcome_mails[email] = "Welcome, Lost Job!"
    with frozen(worker_processes(live.pid)):
        time.sleep(BRPOP_EXPIRY_SECONDS)
        with httpx.Client(base_url=live.base_url, timeout=30) as client:
            resp = client.post(
                "/api/v2/users",
                json={"email": email, "name": "Lost Job", "password": "correct-horse-battery"},
            )
        assert resp.status_code == 201, describe(resp)

        deadline = time.monotonic() + PUBLISH_DEADLINE_SECONDS
        row = published_row(database.url, email)
        while row is None and time.monotonic() < deadline:
            time.sleep(0.2)
            row = published_row(database.url, email)
        assert row is not None, (
            f"the API did not publish the job within {PUBLISH_DEADLINE_SECONDS}s"
        )
        outbox_id = row[0]
        assert queued_jobs(broker.port, outbox_id) == 1, "the job is not waiting in the broker"

        # No persistence: the restart drops the queued job, and the database says it was published.
        broker.stop()
        broker.start()
        assert queued_jobs(broker.port, outbox_id) == 0
        assert live.inbox.wait_for(email, timeout=0.1) == []

    deadline_seconds = min(redeliver_after, REDELIVER_AFTER_MAX_SECONDS) + REDELIVERY_SLACK_SECONDS
    mails = live.inbox.wait_for(email, timeout=deadline_seconds)
    assert mails, f"no email within {deadline_seconds:.0f}s: the job lost by the broker stayed lost"
    assert_delivered_once(database.url, email)
    assert [m.subject for m in live.inbox.wait_for(email, timeout=0.1)] == [welcome_mails[email]]
    assert_broker_idle(broker.port)
