"""The worker process running the email job is SIGKILLed mid-job: the job runs again and the email
arrives once (design: acks_late, "not when the worker dies mid-job")."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from tests.support.assertions import describe
from tests.support.live import LiveService, _descendants
from tests.support.users import unique_email

STALL_SECONDS = 30.0
DELIVERY_DEADLINE_SECONDS = 90.0
DUPLICATE_WATCH_SECONDS = 8.0


def celery_pool_processes(launcher_pid: int) -> list[int]:
    """The worker's child processes (the prefork pool), found below the launcher."""
    tree = [pid for pid, _ in _descendants(launcher_pid)]

    def is_celery(pid: int) -> bool:
        try:
            return b"celery" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    def parent(pid: int) -> int:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

    return [pid for pid in tree if is_celery(pid) and is_celery(parent(pid))]


def test_killed_worker_process_does_not_lose_or_double_the_email(live: LiveService) -> None:
    email = unique_email("killed")
    live.inbox.stall_once(email, STALL_SECONDS)
    with httpx.Client(base_url=live.base_url, timeout=30) as client:
        resp = client.post(
            "/api/v2/users",
            json={"email": email, "name": "Survivor", "password": "correct-horse-battery"},
        )
    assert resp.status_code == 201, describe(resp)
    deadline = time.monotonic() + STALL_SECONDS
    while email not in live.inbox.stalled and time.monotonic() < deadline:
        time.sleep(0.1)
    assert email in live.inbox.stalled, "the worker never reached the SMTP server"

    pool = celery_pool_processes(live.pid)
    assert pool, "no worker pool process found"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)

    mails = live.inbox.wait_for(email, timeout=DELIVERY_DEADLINE_SECONDS)
    assert mails, f"no email within {DELIVERY_DEADLINE_SECONDS}s of killing the worker"
    time.sleep(DUPLICATE_WATCH_SECONDS)
    assert [m.subject for m in live.inbox.wait_for(email, timeout=0.1)] == ["Welcome, Survivor!"]
