"""Measured besides throughput: memory, code size, installed packages, tox time, the machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from bakeoff.manifest import REPO_ROOT

EXCLUDED_DIRS = {
    "tests",
    "migrations",
    "versions",
    ".venv",
    "__pycache__",
    "static",
    "var",
    "node_modules",
}


def process_tree(root: int) -> list[int]:
    """`root` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss_mb(root: int) -> float:
    """Resident memory of the server: every process of its tree (master and worker), summed."""
    return round(sum(rss_bytes(p) for p in process_tree(root)) / 2**20, 1)


def load_average() -> list[float]:
    """The 1/5/15-minute load averages: how busy the machine was besides the benchmark."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        return []


def tree_cpu_ticks(root: int) -> int:
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def settle(root: int, timeout: float = 90.0) -> float:
    """Wait until the server's process tree is idle (left-over requests done); seconds waited."""
    started = time.monotonic()
    previous = tree_cpu_ticks(root)
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        current = tree_cpu_ticks(root)
        if current - previous <= 2:
            break
        previous = current
    return time.monotonic() - started


def _code_lines(path: Path) -> int:
    count = 0
    for line in path.read_text(errors="replace").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            count += 1
    return count


def package_dir(directory: Path) -> Path | None:
    """The service's importable package: the top folder with an __init__.py holding most code."""
    best: tuple[int, Path] | None = None
    for init in directory.glob("*/__init__.py"):
        pkg = init.parent
        if pkg.name in EXCLUDED_DIRS:
            continue
        size = sum(1 for _ in pkg.rglob("*.py"))
        if best is None or size > best[0]:
            best = (size, pkg)
    return best[1] if best else None


def lines_by_feature(directory: Path) -> dict[str, int]:
    """Non-blank, non-comment Python lines per feature folder (tests and migrations excluded)."""
    pkg = package_dir(directory)
    if pkg is None:
        return {}
    counts: dict[str, int] = {}
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        if any(part in EXCLUDED_DIRS for part in rel.parts[:-1]):
            continue
        feature = rel.parts[0] if len(rel.parts) > 1 else "(package root)"
        counts[feature] = counts.get(feature, 0) + _code_lines(path)
    return {k: v for k, v in sorted(counts.items()) if v}


def installed_packages(venv: Path) -> int | None:
    """Distributions installed in the venv (each one third-party: the services are not packaged)."""
    site = list(venv.glob("lib/python*/site-packages"))
    if not site:
        return None
    names = {p.name.split("-")[0].lower() for p in site[0].glob("*.dist-info")}
    names.discard("_virtualenv")
    return len(names)


def tox_seconds(env: str, search: list[Path] | None = None) -> float | None:
    """Duration of tox env `env` from a `tox --result-json` file, when one exists."""
    roots = search or [REPO_ROOT / "reports", REPO_ROOT / ".tox"]
    for root in roots:
        for path in sorted(root.glob("*.json")) if root.is_dir() else []:
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            envs = data.get("testenvs") if isinstance(data, dict) else None
            entry = envs.get(env) if isinstance(envs, dict) else None
            if not isinstance(entry, dict):
                continue
            result = entry.get("result")
            duration = result.get("duration") if isinstance(result, dict) else None
            if isinstance(duration, int | float):
                return round(float(duration), 1)
            steps = [s for key in ("setup", "test") for s in entry.get(key, [])]
            elapsed = [float(s["elapsed"]) for s in steps if isinstance(s, dict) and "elapsed" in s]
            if elapsed:
                return round(sum(elapsed), 1)
    return None


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "kernel": platform.release(),
        "os": _os_name(),
        "python": platform.python_version(),
        "postgresql": _command_version(["psql", "--version"]),
        "redis": _command_version(["redis-server", "--version"]),
    }


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def _command_version(argv: list[str]) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return proc.stdout.strip() or proc.stderr.strip() or "?"


def venv_versions(venv: Path, names: tuple[str, ...]) -> dict[str, str]:
    """Versions of the named distributions installed in `venv`."""
    found: dict[str, str] = {}
    for site in venv.glob("lib/python*/site-packages"):
        for meta in site.glob("*.dist-info"):
            name, _, version = meta.name.removesuffix(".dist-info").partition("-")
            if name.lower().replace("_", "-") in names:
                found[name.lower().replace("_", "-")] = version
    return dict(sorted(found.items()))
