"""gunicorn, as gunicorn.conf.py configures it, answers its own header-limit refusals with the
contract's 431 problem+json and leaves every other protocol error to gunicorn."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from app.core.gunicorn_worker import ProblemThreadWorker
from gunicorn.http.errors import LimitRequestHeaders

from tests.core.test_header_limits import assert_431

SERVICE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """gunicorn with the service's config serving app.wsgi:app; yields its port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADMIN_")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('gunicorn') / 'app.db'}",
        "BROKER_URL": "memory://",
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "app.wsgi:app"],
        cwd=SERVICE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while exchange(port, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n") == b"":
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()


def exchange(port: int, request: bytes) -> bytes:
    """Send one raw request, read until the server closes or stops answering."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(request)
            chunks: list[bytes] = []
            conn.settimeout(2)
            while True:
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and b"Connection: close" not in chunks[0]:
                    break
            return b"".join(chunks)
    except ConnectionRefusedError:
        return b""


def split(answer: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    return status_line, dict(line.split(": ", 1) for line in lines), body


def request_with(header_lines: list[str]) -> bytes:
    head = "GET /health HTTP/1.1\r\nHost: t\r\n" + "".join(f"{h}\r\n" for h in header_lines)
    return (head + "Connection: close\r\n\r\n").encode()


def test_more_fields_than_gunicorn_allows_is_the_contracts_431(gunicorn: int) -> None:
    answer = exchange(gunicorn, request_with([f"X-F{i}: 1" for i in range(101)]))
    status_line, headers, body = split(answer)
    assert status_line == "HTTP/1.1 431 Request Header Fields Too Large"
    assert_431(431, headers, body, "")


def test_one_field_above_gunicorns_default_size_reaches_the_app(gunicorn: int) -> None:
    status_line, _, body = split(exchange(gunicorn, request_with(["X-Big: " + "v" * 12000])))
    assert status_line == "HTTP/1.1 200 OK"
    assert json.loads(body) == {"status": "ok"}


@pytest.mark.parametrize("field", ["Content-Type: text/plain", "Host: t"])
def test_a_repeated_singleton_field_is_the_contracts_400(gunicorn: int, field: str) -> None:
    answer = exchange(gunicorn, request_with([field, field + "x"]))
    status_line, headers, body = split(answer)
    assert status_line == "HTTP/1.1 400 Bad Request"
    assert headers["Connection"] == "close"
    assert headers["Content-Type"] == "application/problem+json"
    assert "Deprecation" not in headers
    assert json.loads(body) == {
        "type": "/problems/malformed-request",
        "title": "Malformed request",
        "status": 400,
        "detail": "Request header fields are ambiguous",
        "instance": "",
        "request_id": headers["X-Request-ID"],
    }


def test_a_malformed_header_is_still_gunicorns_own_400(gunicorn: int) -> None:
    status_line, _, body = split(exchange(gunicorn, request_with(["Bad Header Name: 1"])))
    assert status_line.startswith("HTTP/1.1 400")
    assert b"problem" not in body


@pytest.fixture
def worker() -> ProblemThreadWorker:
    instance = ProblemThreadWorker.__new__(ProblemThreadWorker)
    instance.log = logging.getLogger("test.gunicorn")
    return instance


def answer_to(worker: ProblemThreadWorker, exc: BaseException) -> bytes:
    server, peer = socket.socketpair()
    with server, peer:
        worker.handle_error(None, server, ("127.0.0.1", 1), exc)
        server.close()
        return b"".join(iter(lambda: peer.recv(65536), b""))


@pytest.mark.parametrize(
    "message", ["limit request headers fields", "limit request headers fields size"]
)
def test_worker_answers_gunicorn_header_limits_with_the_problem(
    worker: ProblemThreadWorker, message: str
) -> None:
    status_line, headers, body = split(answer_to(worker, LimitRequestHeaders(message)))
    assert status_line == "HTTP/1.1 431 Request Header Fields Too Large"
    assert int(headers["Content-Length"]) == len(body)
    assert_431(431, headers, body, "")
