"""Which process holds which end of a local TCP connection (/proc/net/tcp, /proc/<pid>/fd)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ESTABLISHED = "01"


@dataclass(frozen=True)
class TcpRow:
    local_port: int
    remote_port: int
    state: str
    inode: str


def tcp_rows() -> Iterator[TcpRow]:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(table).read_text().splitlines()[1:]:
                fields = row.split()
                yield TcpRow(
                    local_port=int(fields[1].rsplit(":", 1)[1], 16),
                    remote_port=int(fields[2].rsplit(":", 1)[1], 16),
                    state=fields[3],
                    inode=fields[9],
                )


def socket_owners(inodes: set[str], pids: Iterable[int] | None = None) -> list[int]:
    """The processes (among `pids`, default all) holding one of the socket inodes."""
    links = {f"socket:[{inode}]" for inode in inodes if inode != "0"}
    if not links:
        return []
    if pids is None:
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
    owners = []
    for pid in pids:
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in links for fd in Path(f"/proc/{pid}/fd").iterdir()):
                owners.append(pid)
    return owners


def smtp_client_pids(smtp_port: int) -> list[int]:
    """Processes holding an established TCP connection to the SMTP sink."""
    inodes = {r.inode for r in tcp_rows() if r.remote_port == smtp_port and r.state == ESTABLISHED}
    return socket_owners(inodes)


def accepting_pids(server_port: int, client_port: int, pids: Iterable[int]) -> list[int]:
    """The processes (among `pids`) holding the server end of the connection from `client_port`
    (none while the connection still waits in the listen backlog)."""
    inodes = {
        r.inode
        for r in tcp_rows()
        if r.local_port == server_port and r.remote_port == client_port and r.state == ESTABLISHED
    }
    return socket_owners(inodes, pids)
