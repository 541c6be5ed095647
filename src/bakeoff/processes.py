"""Prepare a service's virtualenv and run its migrate / api / worker commands as child processes."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bakeoff.manifest import REPO_ROOT, Service

log = logging.getLogger("bakeoff")

STOP_GRACE_SECONDS = 15.0


def uv_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    # A tox or root venv must not leak into the service's own environment (tox-uv exports both).
    env.pop("VIRTUAL_ENV", None)
    env.pop("UV_PROJECT_ENVIRONMENT", None)
    return env


BOOTSTRAPPED_UV = REPO_ROOT / ".tools" / "bin" / "uv"


def uv_binary() -> str:
    """The uv this launcher was started with, never whichever `uv` PATH happens to hold.

    `uv run` exports its own path as `UV`; the Makefile and tox.ini pass theirs the same way.
    """
    chosen = os.environ.get("UV")
    if chosen:
        if not Path(chosen).is_file():
            raise SystemExit(f"bakeoff: UV={chosen} does not exist")
        return chosen
    if BOOTSTRAPPED_UV.is_file():
        return str(BOOTSTRAPPED_UV)
    raise SystemExit(
        "bakeoff: no uv to sync the services with: run `make tools` (installs it into .tools/), "
        "start bakeoff through `uv run`, or set UV=/path/to/uv"
    )


def sync_service(service: Service) -> None:
    """Install the service's locked dependencies into `services/<name>/.venv`."""
    cmd = [uv_binary(), "sync", "--frozen", "--quiet", "--project", str(service.directory)]
    result = subprocess.run(cmd, env=uv_environment(), check=False)
    if result.returncode != 0:
        raise SystemExit(f"bakeoff: `{' '.join(cmd)}` failed with exit code {result.returncode}")


def service_environment(service: Service, overrides: Mapping[str, str]) -> dict[str, str]:
    env = uv_environment()
    env.update(overrides)
    env["VIRTUAL_ENV"] = str(service.venv)
    env["PATH"] = f"{service.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run_once(service: Service, key: str, env: Mapping[str, str], **values: object) -> None:
    argv = service.argv(key, **values)
    log.info("%s: %s", service.name, " ".join(argv))
    result = subprocess.run(argv, cwd=service.directory, env=dict(env), check=False)
    if result.returncode != 0:
        raise SystemExit(f"bakeoff: {service.name} {key} failed with exit code {result.returncode}")


@dataclass
class ProcessGroup:
    """Long-running children, each in its own process group so a stop reaches their workers too."""

    children: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    relays: list[threading.Thread] = field(default_factory=list)

    def start(
        self, label: str, service: Service, key: str, env: Mapping[str, str], **values: object
    ) -> None:
        argv = service.argv(key, **values)
        log.info("%s: %s", label, " ".join(argv))
        proc = subprocess.Popen(
            argv,
            cwd=service.directory,
            env=dict(env),
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        # Like docker compose and honcho: every line says which process wrote it.
        relay = threading.Thread(target=_prefix_lines, args=(label, proc), daemon=True)
        relay.start()
        self.relays.append(relay)
        self.children.append((label, proc))

    def first_exited(self) -> tuple[str, int] | None:
        for label, proc in self.children:
            code = proc.poll()
            if code is not None:
                return label, code
        return None

    def stop(self) -> None:
        """SIGTERM each main process only (as Docker and systemd do): servers and Celery stop their
        own workers gracefully. Whatever is left of a group after the grace period is killed."""
        for _, proc in self.children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for label, proc in self.children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %.0fs; killing it", label, STOP_GRACE_SECONDS)
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        for relay in self.relays:
            relay.join(timeout=5)
        self.children.clear()
        self.relays.clear()

    def wait_forever(self) -> int:
        """Block until a child exits or we are asked to stop; always stop every child."""
        stop_requested = False

        def request_stop(signum: int, _frame: object) -> None:
            nonlocal stop_requested
            stop_requested = True

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            while not stop_requested:
                exited = self.first_exited()
                if exited is not None:
                    label, code = exited
                    log.error("%s exited with code %s; stopping the rest", label, code)
                    return code or 1
                time.sleep(0.2)
            return 0
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)


READY_TIMEOUT_SECONDS = 120.0


def wait_ready(url: str, group: ProcessGroup, timeout: float = READY_TIMEOUT_SECONDS) -> bool:
    """Poll `url` until it answers 200; False on timeout or as soon as any child has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and group.first_exited() is None:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=2) as response,  # noqa: S310 (our own URL)
        ):
            if response.status == 200:
                return True
        time.sleep(0.3)
    return False


def _prefix_lines(label: str, proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdout is not None
    prefix = f"{label} | ".encode()
    out = sys.stdout.buffer
    for line in iter(proc.stdout.readline, b""):
        out.write(prefix + line)
        out.flush()


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s bakeoff %(levelname)s %(message)s",
        stream=sys.stderr,
    )
