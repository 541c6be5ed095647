"""SIGTERM lets the in-flight request and the worker's in-flight job finish, then new connections
are refused. Runs last.

The job is held in the middle of its SMTP dialogue (before DATA) when the signal lands: the mail
exists only if the worker lets the job run to the end instead of killing it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time

import httpx
import psycopg

from tests.faults.infra import PrivatePostgres
from tests.faults.jobs import sign_up_with_held_email
from tests.faults.outbox import assert_delivered_once, outbox_rows
from tests.support.live import LiveService
from tests.support.users import unique_email

SHUTDOWN_DEADLINE_SECONDS = 30.0
JOB_STALL_SECONDS = 8.0  # under the launcher's 15 s grace before it kills what is left


def refused(exc: BaseException) -> bool:
    """A connection the server's host turned away (no listener), not a timeout or a reset."""
    if not isinstance(exc, httpx.ConnectError):
        return False
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def stored_user_ids(database_url: str, email: str) -> list[int]:
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT id FROM users WHERE lower(email) = lower(%s)", (email,)
        ).fetchall()
    return [int(r[0]) for r in rows]


def test_sigterm_lets_the_in_flight_request_and_job_finish(
    live: LiveService, database: PrivatePostgres
) -> None:
    held_job = unique_email("draining")
    sign_up_with_held_email(live, email=held_job, name="Drained", hold=JOB_STALL_SECONDS)
    email = unique_email("inflight")
    body = json.dumps({"email": email, "name": "In Flight", "password": "correct-horse-battery"})
    head = (
        f"POST /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1:{live.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    half = len(body) // 2
    with socket.create_connection(
        ("127.0.0.1", live.port), timeout=SHUTDOWN_DEADLINE_SECONDS
    ) as sock:
        # The server has the request line, the headers and half the body when the signal lands.
        sock.sendall(head.encode() + body[:half].encode())
        time.sleep(1.0)
        os.kill(live.pid, signal.SIGTERM)
        time.sleep(1.0)
        sock.sendall(body[half:].encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    assert status_line.startswith("HTTP/1.1 201"), f"in-flight request got {answer[:300]!r}"
    assert not live.inbox.wait_for(held_job, timeout=0.1), "the held job finished before SIGTERM"
    mails = live.inbox.wait_for(held_job, timeout=SHUTDOWN_DEADLINE_SECONDS)
    assert [m.subject for m in mails] == ["Welcome, Drained!"], "the worker dropped its job"
    assert_delivered_once(database.url, held_job)

    # The in-flight sign-up committed its user and the user's outbox row (the email itself may go
    # out at the next start: the worker is draining).
    assert len(stored_user_ids(database.url, email)) == 1, "the in-flight sign-up stored no user"
    assert len(outbox_rows(database.url, email)) == 1, "the in-flight sign-up stored no outbox row"

    deadline = time.monotonic() + SHUTDOWN_DEADLINE_SECONDS
    last: object = "the server answered every request"
    while time.monotonic() < deadline:
        try:
            resp = httpx.get(f"{live.base_url}/health", timeout=2)
        except httpx.TransportError as exc:
            if refused(exc):
                break
            last = repr(exc)  # a timeout or a reset is not a refusal: look again
        else:
            last = f"/health answered {resp.status_code}"
        time.sleep(0.2)
    else:
        raise AssertionError(
            f"new connections were not refused within {SHUTDOWN_DEADLINE_SECONDS:.0f}s "
            f"after SIGTERM; last: {last}"
        )
