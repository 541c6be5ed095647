"""Resident memory of a launched service, read from /proc: the API's processes and the worker's.

The launcher (`bakeoff serve`) starts two children, the API server and the Celery worker, each with
its own process tree. A child whose command line runs `celery` is the worker; every process below
a child counts towards that child's group. The launcher itself is not counted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class MemorySample:
    """Summed VmRSS of each group, in bytes, and the pids that were summed."""

    api_bytes: int
    worker_bytes: int
    api_pids: frozenset[int] = field(default_factory=frozenset)
    worker_pids: frozenset[int] = field(default_factory=frozenset)

    @property
    def total_bytes(self) -> int:
        return self.api_bytes + self.worker_bytes

    def as_json(self) -> dict[str, float | int]:
        return {
            "api_mib": round(self.api_bytes / MIB, 1),
            "worker_mib": round(self.worker_bytes / MIB, 1),
            "total_mib": round(self.total_bytes / MIB, 1),
            "api_processes": len(self.api_pids),
            "worker_processes": len(self.worker_pids),
        }


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces and parentheses: split after the last ")".
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _subtree(root: int, children: dict[int, list[int]]) -> list[int]:
    found = [root]
    stack = [root]
    while stack:
        for pid in children.get(stack.pop(), []):
            found.append(pid)
            stack.append(pid)
    return found


def _rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 when it is gone or is a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024  # reported in kB
    return 0


def _is_worker(pid: int) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(os.path.basename(arg.decode(errors="replace")) == "celery" for arg in argv)


def sample(launcher_pid: int) -> MemorySample:
    """One reading of every process below the launcher, grouped into API and worker."""
    children = _children_map()
    api: list[int] = []
    worker: list[int] = []
    for child in children.get(launcher_pid, []):
        (worker if _is_worker(child) else api).extend(_subtree(child, children))
    return MemorySample(
        api_bytes=sum(_rss_bytes(pid) for pid in api),
        worker_bytes=sum(_rss_bytes(pid) for pid in worker),
        api_pids=frozenset(api),
        worker_pids=frozenset(worker),
    )
