"""Start one service through the `bakeoff` launcher against throw-away resources, and stop it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import redis
from psycopg import sql

from bakeoff.mailcatcher import Inbox, MailCatcher
from bakeoff.manifest import SERVICE_SETTINGS
from tests.support.procs import children_by_parent, subtree

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 180.0
STOP_TIMEOUT_SECONDS = 30.0
LAUNCHER_TIMEOUT_SECONDS = 180.0
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"
# Databases 11-14 are used by hand for ad-hoc work; take them only when the others are busy.
REDIS_DB_ORDER = (*range(1, 11), 15, 11, 12, 13, 14)


class StartupError(RuntimeError):
    """The service did not become ready; the message carries its log tail."""


@dataclass
class LiveService:
    name: str
    backend: str
    base_url: str
    admin_email: str
    admin_password: str
    secret_key: str
    database_url: str
    broker_url: str
    env: dict[str, str]
    log_path: Path
    inbox: Inbox
    port: int = 0
    # The launcher's pid: fault tests signal it to exercise graceful shutdown.
    pid: int = 0

    def launcher_env(self, extra_env: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in SERVICE_SETTINGS}
        env.update(self.env)
        env.setdefault("UV_PYTHON_DOWNLOADS", "never")
        if extra_env:
            env.update(extra_env)
        return env

    def run_launcher(
        self,
        *args: str,
        extra_env: Mapping[str, str] | None = None,
        timeout: float = LAUNCHER_TIMEOUT_SECONDS,
    ) -> subprocess.CompletedProcess[str]:
        """`python -m bakeoff <args>` with the service's environment; output captured as text.

        On timeout the whole process tree is stopped and TimeoutExpired is raised.
        """
        argv = [sys.executable, "-m", "bakeoff", *args]
        proc = subprocess.Popen(
            argv,
            cwd=REPO_ROOT,
            env=self.launcher_env(extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_process_tree(proc)
            proc.communicate()
            raise
        return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def log_tail(path: Path, lines: int = 80) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# ---- PostgreSQL: one scratch database per session ----------------------------------------------


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


@contextlib.contextmanager
def postgres_database(service_name: str) -> Iterator[str]:
    admin_url = os.environ.get("BAKEOFF_PG_URL", DEFAULT_PG_URL)
    name = f"bakeoff_{service_name}_{secrets.token_hex(6)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# ---- Redis: one database number held exclusively for the session -------------------------------


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    base = os.environ.get("BAKEOFF_REDIS_URL", DEFAULT_REDIS_URL).rstrip("/")
    for number in REDIS_DB_ORDER:
        handle: IO[str] = open(f"/tmp/bakeoff-redis-db-{number}.lock", "a")  # noqa: SIM115, S108
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            url = f"{base}/{number}"
            client = redis.Redis.from_url(url, socket_timeout=5)
            try:
                client.flushdb()
            finally:
                client.close()
            yield url
            return
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
    raise StartupError("every Redis database 1..15 is held by another test run")


# ---- reports: one directory per concurrent run of a service and backend ----------------------


@contextlib.contextmanager
def report_directory(label: str) -> Iterator[Path]:
    """reports/<label>/, or reports/<label>-N/ while another run holds it (its log is in use)."""
    for attempt in range(1, 100):
        directory = REPO_ROOT / "reports" / (label if attempt == 1 else f"{label}-{attempt}")
        directory.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = open(directory / ".lock", "a")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield directory
            return
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
    raise StartupError(f"no free report directory for {label}")


# ---- processes -------------------------------------------------------------------------------


def _proc_start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _descendants(root: int) -> list[tuple[int, str]]:
    """(pid, start time) of every process below `root`, read from /proc."""
    found: list[tuple[int, str]] = []
    for pid in subtree(root, children_by_parent())[1:]:
        start = _proc_start_time(pid)
        if start is not None:
            found.append((pid, start))
    return found


def stop_process_tree(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM the launcher (it stops its children), bounded wait, then SIGKILL what is left."""
    tree = _descendants(proc.pid)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_proc_start_time(p) == s for p, s in tree):
        time.sleep(0.2)
    for pid, start in tree:
        if _proc_start_time(pid) == start:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def wait_ready(proc: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            code = proc.poll()
            if code is not None:
                raise StartupError(
                    f"the launcher exited with code {code} before /ready answered 200; "
                    f"log tail ({log_path}):\n{log_tail(log_path)}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if client.get("/ready").status_code == 200:
                    return
            time.sleep(0.5)
    raise StartupError(
        f"/ready did not answer 200 within {READY_TIMEOUT_SECONDS:.0f}s; "
        f"log tail ({log_path}):\n{log_tail(log_path)}"
    )


@contextlib.contextmanager
def live_service(
    name: str,
    backend: str,
    tmp_dir: Path,
    *,
    database_url: str | None = None,
    broker_url: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[LiveService]:
    """Everything the service needs, the service itself, and a clean stop of all of it."""
    if backend not in ("postgres", "embedded"):
        raise StartupError(f"unknown backend {backend!r} (postgres | embedded)")
    with contextlib.ExitStack() as stack:
        smtp_port = free_port()
        catcher = MailCatcher(smtp_port=smtp_port)
        catcher.start()
        stack.callback(catcher.stop)

        # Fault tests pass their own (private, breakable) database and broker.
        if database_url is None:
            if backend == "postgres":
                database_url = stack.enter_context(postgres_database(name))
            else:
                database_url = f"sqlite:///{tmp_dir / 'app.db'}"
        if broker_url is None:
            if backend == "postgres":
                broker_url = stack.enter_context(redis_database())
            else:
                broker_url = f"sqla+sqlite:///{tmp_dir / 'broker.sqlite'}"

        tag = secrets.token_hex(4)
        port = free_port()
        env = {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ENVIRONMENT": "production",
            "ADMIN_EMAIL": f"admin-{tag}@example.com",
            "ADMIN_PASSWORD": f"admin-{secrets.token_urlsafe(12)}",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "LOG_LEVEL": "INFO",
            "ACCESS_TOKEN_TTL_SECONDS": "900",
            "DATABASE_URL": database_url,
            "BROKER_URL": broker_url,
            **(extra_env or {}),
        }
        log_dir = stack.enter_context(report_directory(f"{name}-{backend}"))
        log_path = log_dir / "service.log"
        live = LiveService(
            name=name,
            backend=backend,
            base_url=f"http://127.0.0.1:{port}",
            admin_email=env["ADMIN_EMAIL"],
            admin_password=env["ADMIN_PASSWORD"],
            secret_key=env["SECRET_KEY"],
            database_url=database_url,
            broker_url=broker_url,
            env=env,
            log_path=log_path,
            inbox=catcher.inbox,
            port=port,
        )
        argv = [
            sys.executable,
            "-m",
            "bakeoff",
            "serve",
            name,
            "--port",
            str(port),
            "--database-url",
            database_url,
            "--broker-url",
            broker_url,
        ]
        with log_path.open("wb") as log_file:
            proc = subprocess.Popen(
                argv,
                cwd=REPO_ROOT,
                env=live.launcher_env(),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        stack.callback(stop_process_tree, proc)
        live.pid = proc.pid
        wait_ready(proc, live.base_url, log_path)
        yield live
