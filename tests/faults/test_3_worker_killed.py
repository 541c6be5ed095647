"""The worker process running the email job is SIGKILLed mid-job: the job runs again and the email
arrives once (design: acks_late, "not when the worker dies mid-job")."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from tests.faults.jobs import sign_up_with_held_email
from tests.support.live import LiveService

STALL_SECONDS = 30.0
DELIVERY_DEADLINE_SECONDS = 90.0
DUPLICATE_WATCH_SECONDS = 8.0


def smtp_client_pids(smtp_port: int) -> list[int]:
    """Processes holding an established TCP connection to the SMTP sink (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(table).read_text().splitlines()[1:]:
                fields = row.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if remote_port == smtp_port and fields[3] == "01":  # 01 = ESTABLISHED
                    inodes.add(f"socket:[{fields[9]}]")
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                pids.append(int(proc.name))
    return pids


def test_killed_worker_process_does_not_lose_or_double_the_email(live: LiveService) -> None:
    email = sign_up_with_held_email(live, prefix="killed", name="Survivor", hold=STALL_SECONDS)

    # Exactly the process in the middle of the SMTP dialogue, whatever the worker's pool type.
    running_job = smtp_client_pids(int(live.env["SMTP_PORT"]))
    assert running_job, "no process is connected to the SMTP sink"
    for pid in running_job:
        os.kill(pid, signal.SIGKILL)

    mails = live.inbox.wait_for(email, timeout=DELIVERY_DEADLINE_SECONDS)
    assert mails, f"no email within {DELIVERY_DEADLINE_SECONDS}s of killing the worker"
    time.sleep(DUPLICATE_WATCH_SECONDS)
    assert [m.subject for m in live.inbox.wait_for(email, timeout=0.1)] == ["Welcome, Survivor!"]
