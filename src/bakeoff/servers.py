"""Throw-away PostgreSQL and Redis servers, and probes that tell whether one answers.

Standard library only: `make test` uses this before any virtualenv exists, and the fault tests
build on it to stop and start their own servers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

START_TIMEOUT_SECONDS = 60.0
POSTGRES_SSL_REQUEST = (8).to_bytes(4, "big") + (80877103).to_bytes(4, "big")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """True when a PostgreSQL server speaks its protocol there (it answers an SSLRequest)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(POSTGRES_SSL_REQUEST)
            return sock.recv(1) in (b"S", b"N")
    except OSError:
        return False


def redis_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(7).startswith(b"+PONG")
    except OSError:
        return False


def pg_binary(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, else where Debian keeps it (not on PATH)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3])
    )
    return str(candidates[-1]) if candidates else None


def _required_pg_binary(name: str) -> str:
    found = pg_binary(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install PostgreSQL's server binaries")
    return found


def _as_postgres_user(argv: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root, a laptop usually does not.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _wait_until(answers: bool, what: str) -> None:
    if not answers:
        raise RuntimeError(f"{what} did not answer within {START_TIMEOUT_SECONDS:.0f}s")


class PrivatePostgres:
    """A throw-away cluster on its own port and data directory, trust auth for `postgres`."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="bakeoff-pg-", dir="/tmp"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        subprocess.run(
            _as_postgres_user(
                [_required_pg_binary("initdb"), "-D", str(self.data), "-A", "trust",
                 "-U", "postgres", "--no-sync", "-E", "UTF8"]
            ),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            # fsync=off only matters if the machine crashes. synchronous_commit stays on: the
            # fault tests stop this server with `-m immediate`, which must not lose a commit
            # the service was told had happened (a delivered email would then be sent again).
            "-c fsync=off -c max_connections=400"
        )
        subprocess.run(
            _as_postgres_user(
                [_required_pg_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                 str(self.directory / "server.log"), "-w", "-t", "60", "start"]
            ),
            check=True, capture_output=True, timeout=START_TIMEOUT_SECONDS + 10,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres_user(
                [_required_pg_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                 "-t", "60", "stop"]
            ),
            check=True, capture_output=True, timeout=START_TIMEOUT_SECONDS + 10,
        )  # fmt: skip

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivateRedis:
    """A redis-server on its own port that keeps nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="bakeoff-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def base_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        program = shutil.which("redis-server")
        if program is None:
            raise RuntimeError("redis-server not found: install Redis")
        self.process = subprocess.Popen(
            [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline and not redis_answers("127.0.0.1", self.port, 1.0):
            time.sleep(0.2)
        _wait_until(redis_answers("127.0.0.1", self.port), f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
