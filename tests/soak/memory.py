"""Resident memory of a launched service, read from /proc: the API's processes and the worker's.

The launcher (`bakeoff serve`) starts two children, the API server and the Celery worker, each with
its own process tree. A child whose command line runs `celery` is the worker; every process below
a child counts towards that child's group. The launcher itself is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.support.procs import children_by_parent, is_celery_worker, subtree

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


def sample(launcher_pid: int) -> MemorySample:
    """One reading of every process below the launcher, grouped into API and worker."""
    children = children_by_parent()
    api: list[int] = []
    worker: list[int] = []
    for child in children.get(launcher_pid, []):
        (worker if is_celery_worker(child) else api).extend(subtree(child, children))
    return MemorySample(
        api_bytes=sum(_rss_bytes(pid) for pid in api),
        worker_bytes=sum(_rss_bytes(pid) for pid in worker),
        api_pids=frozenset(api),
        worker_pids=frozenset(worker),
    )
