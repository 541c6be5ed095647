"""The process tree, read from /proc: what is below a launcher, and which process is the worker."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            # The command name may hold spaces and parentheses: split after the last ")".
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    return children


def subtree(root: int, children: dict[int, list[int]]) -> list[int]:
    """`root` first, then every process below it."""
    found = [root]
    stack = [root]
    while stack:
        below = children.get(stack.pop(), [])
        found.extend(below)
        stack.extend(below)
    return found


def cmdline(pid: int) -> list[str]:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    return []


def is_celery_worker(pid: int) -> bool:
    argv = cmdline(pid)
    return "worker" in argv and any(os.path.basename(arg) == "celery" for arg in argv)
