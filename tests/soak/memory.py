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


# A process is its pid and its start time (clock ticks since boot): a pid reused by a new
# process is a different process.
Identity = tuple[int, int]


@dataclass(frozen=True)
class MemorySample:
    """Summed VmRSS of each group, in bytes, the processes that were summed, and the ones that
    were listed but gone before their RSS could be read (never counted as 0 bytes)."""

    api_bytes: int
    worker_bytes: int
    api_pids: frozenset[int] = field(default_factory=frozenset)
    worker_pids: frozenset[int] = field(default_factory=frozenset)
    api_processes: frozenset[Identity] = field(default_factory=frozenset)
    worker_processes: frozenset[Identity] = field(default_factory=frozenset)
    vanished: frozenset[int] = field(default_factory=frozenset)

    @property
    def processes(self) -> frozenset[Identity]:
        return self.api_processes | self.worker_processes

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
            "vanished_processes": len(self.vanished),
        }


def _reading(pid: int) -> tuple[Identity, int] | None:
    """(identity, VmRSS in bytes) of one process; None when it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    start = int(stat.rsplit(")", 1)[1].split()[19])
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return (pid, start), int(line.split()[1]) * 1024  # reported in kB
    return None


def sample(launcher_pid: int) -> MemorySample:
    """One reading of every process below the launcher, grouped into API and worker."""
    children = children_by_parent()
    api: list[int] = []
    worker: list[int] = []
    for child in children.get(launcher_pid, []):
        (worker if is_celery_worker(child) else api).extend(subtree(child, children))
    readings = {pid: _reading(pid) for pid in (*api, *worker)}
    found = {pid: r for pid, r in readings.items() if r is not None}
    return MemorySample(
        api_bytes=sum(found[pid][1] for pid in api if pid in found),
        worker_bytes=sum(found[pid][1] for pid in worker if pid in found),
        api_pids=frozenset(pid for pid in api if pid in found),
        worker_pids=frozenset(pid for pid in worker if pid in found),
        api_processes=frozenset(found[pid][0] for pid in api if pid in found),
        worker_processes=frozenset(found[pid][0] for pid in worker if pid in found),
        vanished=frozenset(pid for pid, r in readings.items() if r is None),
    )
