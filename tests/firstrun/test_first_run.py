"""A new user's first run: a fresh clone, PATH holding only the system and one Python, `make up`.

No uv, no tox, no `.tools/` of this checkout: the clone bootstraps its own, and the launcher must
use that uv. Then each service starts once more through its framework's own command.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bakeoff.manifest import Service, load_service
from bakeoff.servers import free_port
from tests.support.live import REPO_ROOT
from tests.support.procs import cmdline
from tests.support.users import unique_email

SYSTEM_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
UP_SECONDS = 900.0  # a cold uv cache downloads every service's dependencies
STOP_SECONDS = 20.0
MAIL_SECONDS = 60.0
MAIL_UI_PORT = 8025
SMTP_PORT = 1025
ADMIN = ("admin@example.com", "change-me-admin")
# The caller's own tooling must not reach the clone.
DROPPED = ("UV", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "MAKEFLAGS", "MFLAGS",
           "MAKELEVEL")  # fmt: skip


def reduced_path() -> str:
    # The interpreter itself, not the tox venv around it: what a user's PATH holds.
    return os.pathsep.join((str(Path(sys.base_prefix) / "bin"), *SYSTEM_PATH))


def fresh_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED and not k.startswith("TOX_")}
    env["PATH"] = reduced_path()
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def processes_in(directory: Path) -> list[int]:
    """Every live process started from the clone (its argv or its working directory is there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cwd = os.readlink(entry / "cwd")
            if cwd.startswith(str(directory)) or any(
                str(directory) in arg for arg in cmdline(int(entry.name))
            ):
                found.append(int(entry.name))
    return found


def wait_until_gone(
    directory: Path, ports: list[int], seconds: float
) -> tuple[list[int], list[int]]:
    deadline = time.monotonic() + seconds
    while True:
        left, open_ports = processes_in(directory), [p for p in ports if listening(p)]
        if (not left and not open_ports) or time.monotonic() > deadline:
            return left, open_ports
        time.sleep(0.3)


def wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited with {proc.returncode} before {url} was ready:\n{tail(log)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    pytest.fail(f"{url} not ready within {seconds:.0f}s:\n{tail(log)}")


def tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def as_in_a_terminal() -> None:
    """Ctrl-C reaches a program started from a terminal; a CI runner may start us with SIGINT
    ignored, which every child would inherit (and Python then installs no KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone holding the working tree as it is, uncommitted changes to tracked files too."""
    target = tmp_path_factory.mktemp("firstrun") / "repo"
    snapshot = subprocess.run(
        ["git", "stash", "create"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(target)], check=True)
    if snapshot:
        subprocess.run(["git", "checkout", "--quiet", snapshot], cwd=target, check=True)
    assert not (target / ".tools").exists()
    return target


@pytest.fixture(scope="module")
def make_up(clone: Path) -> Iterator[subprocess.Popen[bytes]]:
    assert shutil.which("uv", path=reduced_path()) is None, "a uv on the reduced PATH hides the bug"
    assert shutil.which("tox", path=reduced_path()) is None
    ports = [*(s.port for s in services(clone)), SMTP_PORT, MAIL_UI_PORT]
    busy = [p for p in ports if listening(p)]
    assert not busy, f"`make up` needs ports {busy}, which something else holds"
    log = clone.parent / "make-up.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "up"], cwd=clone, env=fresh_environment(), stdout=out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            preexec_fn=as_in_a_terminal,
        )  # fmt: skip
    try:
        yield proc
    finally:
        signal_group(proc, signal.SIGKILL)
        for pid in processes_in(clone):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)


def services(clone: Path) -> list[Service]:
    found = [load_service(p) for p in sorted((clone / "services").glob("*/service.toml"))]
    return sorted(found, key=lambda s: s.port)


def test_make_up_serves_every_service_and_delivers_its_welcome_email(
    clone: Path, make_up: subprocess.Popen[bytes]
) -> None:
    log = clone.parent / "make-up.log"
    started = time.monotonic()
    for service in services(clone):
        wait_ready(f"http://127.0.0.1:{service.port}/ready", make_up, UP_SECONDS, log)
    sys.stdout.write(f"make up: four /ready in {time.monotonic() - started:.0f}s\n")
    assert "[4/4]" in log.read_text(), "make up does not say which step it is on"

    addresses = {}
    for service in services(clone):
        email = unique_email(f"firstrun-{service.name}")
        body = {"email": email, "name": "First Run", "password": "a-long-enough-password"}
        resp = httpx.post(f"http://127.0.0.1:{service.port}/api/v2/users", json=body, timeout=30)
        assert resp.status_code == 201, f"{service.name}: {resp.status_code} {resp.text}"
        addresses[service.name] = email.lower()

    deadline = time.monotonic() + MAIL_SECONDS
    waiting = dict(addresses)
    while waiting and time.monotonic() < deadline:
        mails = httpx.get(f"http://127.0.0.1:{MAIL_UI_PORT}/messages.json", timeout=5).json()
        delivered = {r.lower() for mail in mails for r in mail["recipients"]}
        waiting = {name: a for name, a in waiting.items() if a not in delivered}
        time.sleep(0.5)
    assert not waiting, f"no welcome email within {MAIL_SECONDS:.0f}s for {waiting}"


def test_ctrl_c_stops_everything(clone: Path, make_up: subprocess.Popen[bytes]) -> None:
    assert make_up.poll() is None, "make up is not running"
    ports = [*(s.port for s in services(clone)), SMTP_PORT, MAIL_UI_PORT]
    signal_group(make_up, signal.SIGINT)  # what Ctrl-C in its terminal does
    left, open_ports = wait_until_gone(clone, ports, STOP_SECONDS)
    assert not left, f"still running {STOP_SECONDS:.0f}s after Ctrl-C: " + "; ".join(
        " ".join(cmdline(pid)) for pid in left
    )
    assert not open_ports, f"ports still listening after Ctrl-C: {open_ports}"


@pytest.mark.parametrize("name", ["fastapi", "django", "flask", "sanic"])
def test_framework_own_command_serves(
    name: str, clone: Path, make_up: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    """From the service folder, with its venv first on PATH: native migrate, then native serve."""
    assert make_up.poll() is not None, "runs after make up has stopped"
    service = load_service(clone / "services" / name / "service.toml")
    assert {"migrate", "serve"} <= service.native.keys(), f"{name}: no [native] commands"
    port = free_port()
    env = fresh_environment() | {
        "PATH": f"{service.venv / 'bin'}{os.pathsep}{reduced_path()}",
        "VIRTUAL_ENV": str(service.venv),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'native.db'}",
        "ADMIN_EMAIL": ADMIN[0],
        "ADMIN_PASSWORD": ADMIN[1],
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
    }
    migrate = subprocess.run(
        service.native_argv("migrate", host="127.0.0.1", port=port),
        cwd=service.directory, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, f"{name} migrate:\n{migrate.stdout}\n{migrate.stderr}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            service.native_argv("serve", host="127.0.0.1", port=port), cwd=service.directory,
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=as_in_a_terminal,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/ready", proc, 120, log)
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": ADMIN[0], "password": ADMIN[1]},
            timeout=30,
        )
        assert token.status_code == 200, f"{name}: admin bootstrap: {token.text}"
        signal_group(proc, signal.SIGINT)
        proc.wait(timeout=STOP_SECONDS)
        assert not listening(port), f"{name}: port {port} still listening after Ctrl-C"
    finally:
        signal_group(proc, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
