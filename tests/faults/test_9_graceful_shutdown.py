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

from tests.faults.jobs import sign_up_with_held_email
from tests.support.live import LiveService
from tests.support.users import unique_email

SHUTDOWN_DEADLINE_SECONDS = 30.0
JOB_STALL_SECONDS = 8.0  # under the launcher's 15 s grace before it kills what is left


def test_sigterm_lets_the_in_flight_request_and_job_finish(live: LiveService) -> None:
    held_job = sign_up_with_held_email(
        live, prefix="draining", name="Drained", hold=JOB_STALL_SECONDS
    )
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

    deadline = time.monotonic() + SHUTDOWN_DEADLINE_SECONDS
    refused = False
    while time.monotonic() < deadline and not refused:
        try:
            httpx.get(f"{live.base_url}/health", timeout=2)
        except httpx.TransportError:
            refused = True
        else:
            time.sleep(0.2)
    assert refused, "the server still accepted new connections after SIGTERM"
