"""Several server processes share one failed-login limit (it lives in the database).

Each attempt goes over its own connection, and the test reads from /proc which server process
accepted it before sending anything, steering the attempts so that they alternate between
processes: a limiter kept in one process's memory would then never see enough failures.
"""

from __future__ import annotations

import contextlib
import socket
import time
from urllib.parse import urlencode

import h11
import httpx

from tests.faults.sockets import accepting_pids
from tests.support.assertions import TOKEN_UNAUTHORIZED, assert_problem
from tests.support.live import LiveService
from tests.support.procs import children_by_parent, subtree
from tests.support.users import unique_email

LOGIN_FAILURES_ALLOWED = 10
LIMITED_ATTEMPTS = 3
TOKEN_PATH = "/api/v2/auth/token"
ACCEPT_DEADLINE_SECONDS = 5.0
# New connections opened to reach a process other than the previous attempt's.
CONNECTIONS_PER_ATTEMPT = 20
IO_TIMEOUT_SECONDS = 30.0


def accepted_by(sock: socket.socket, live: LiveService) -> int:
    """The server process holding the other end of `sock`, once one has accepted it."""
    client_port = int(sock.getsockname()[1])
    deadline = time.monotonic() + ACCEPT_DEADLINE_SECONDS
    while True:
        below_launcher = subtree(live.pid, children_by_parent())[1:]
        owners = accepting_pids(live.port, client_port, below_launcher)
        if owners or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(owners) == 1, (
        f"connection from port {client_port}: server-side owners {owners} after "
        f"{ACCEPT_DEADLINE_SECONDS:.0f}s (expected one process below the launcher)"
    )
    return owners[0]


def post_token(sock: socket.socket, live: LiveService, email: str) -> httpx.Response:
    """One form POST over `sock` (HTTP/1.1, Connection: close), answered as an httpx.Response."""
    body = urlencode({"username": email, "password": "wrong"}).encode()
    conn = h11.Connection(h11.CLIENT)
    request = h11.Request(
        method="POST",
        target=TOKEN_PATH,
        headers=[
            ("Host", f"127.0.0.1:{live.port}"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ],
    )
    sock.sendall(
        conn.send(request) + conn.send(h11.Data(data=body)) + conn.send(h11.EndOfMessage())
    )
    status = 0
    headers: list[tuple[bytes, bytes]] = []
    content = b""
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(sock.recv(65536))
        elif isinstance(event, h11.Response):
            status, headers = event.status_code, list(event.headers)
        elif isinstance(event, h11.Data):
            content += bytes(event.data)
        elif isinstance(event, h11.EndOfMessage):
            break
    return httpx.Response(
        status,
        headers=headers,
        content=content,
        request=httpx.Request("POST", f"{live.base_url}{TOKEN_PATH}"),
    )


def attempt(live: LiveService, email: str, avoid: int | None) -> tuple[httpx.Response, int]:
    """One failed login on a connection accepted by a process other than `avoid` when one can be
    reached; the answer and the process that gave it."""
    with contextlib.ExitStack() as stack:
        for _ in range(CONNECTIONS_PER_ATTEMPT):
            sock = stack.enter_context(
                socket.create_connection(("127.0.0.1", live.port), timeout=IO_TIMEOUT_SECONDS)
            )
            pid = accepted_by(sock, live)
            if pid != avoid:
                break
        # Connections on the avoided process stay open until here, then close unused.
        return post_token(sock, live, email), pid


def test_failed_login_limit_holds_across_server_processes(live: LiveService) -> None:
    email = unique_email("brute")
    failures_by: list[int] = []
    pid: int | None = None
    for _ in range(LOGIN_FAILURES_ALLOWED):
        resp, pid = attempt(live, email, avoid=pid)
        assert_problem(resp, 401, "/problems/unauthorized", detail=TOKEN_UNAUTHORIZED)
        failures_by.append(pid)
    assert len(set(failures_by)) >= 2, (
        f"every failed login was served by server process {failures_by[0]}: the test cannot "
        "show the limit is shared between processes"
    )
    limited_by: list[int] = []
    for _ in range(LIMITED_ATTEMPTS):
        resp, pid = attempt(live, email, avoid=pid)
        assert_problem(resp, 429, "/problems/rate-limited")
        assert 1 <= int(resp.headers["Retry-After"]) <= 60
        limited_by.append(pid)
    assert len(set(limited_by)) >= 2, f"every limited attempt was served by {limited_by[0]}"
