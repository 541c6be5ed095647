"""wrk: the load generator. Scenario scripts, one run, and its numbers read back as JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

RESULT_MARK = "BENCH_JSON "
# Appended to every scenario: wrk's summary as one JSON line (latency in microseconds).
DONE_HOOK = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,'
    .. '"mean_us":%.1f,"max_us":%d}\\n',
    "MARK", summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max))
end
""".replace("MARK", RESULT_MARK)

SEED_UUID_PREFIX = "00000000-0000-4000-8000-"  # + the seeded user's number on 12 digits
BENCH_PASSWORD = "bench-password-123"

SCENARIO_SCRIPTS: dict[str, str] = {
    "health": "",
    "get": """
wrk.headers["Authorization"] = "Bearer {token}"
local first = true
request = function()
  if first then math.randomseed(os.time() + math.floor(os.clock() * 1000000)); first = false end
  local n = math.random(1, {users})
  return wrk.format("GET", string.format("/api/v2/users/{prefix}%012d", n))
end
""",
    "list": """
wrk.headers["Authorization"] = "Bearer {token}"
wrk.path = "/api/v2/users?limit=20"
""",
    "create": """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format(
    '{{"email":"b{tag}-%d-%d@bench.example.com","name":"Bench User","password":"{password}"}}',
    tid or 0, counter)
  return wrk.format(nil, "/api/v2/users", nil, body)
end
""",
}
SCENARIO_PATHS = {
    "health": "/health",
    "get": "/api/v2/users/",
    "list": "/api/v2/users?limit=20",
    "create": "/api/v2/users",
}


class WrkMissingError(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_us: int
    bytes: int
    connect: int
    read: int
    write: int
    status: int
    timeout: int
    p50_us: int
    p90_us: int
    p99_us: int
    mean_us: float
    max_us: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    @property
    def socket_errors(self) -> int:
        return self.connect + self.read + self.write + self.timeout

    @property
    def failure(self) -> str | None:
        """Why this run does not count, or None: any non-2xx/3xx answer or socket error fails it."""
        if self.status:
            return f"{self.status} non-2xx/3xx responses"
        if self.socket_errors:
            return (
                f"socket errors: connect {self.connect}, read {self.read}, "
                f"write {self.write}, timeout {self.timeout}"
            )
        if not self.requests:
            return "no request completed"
        return None

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"rps": round(self.rps, 1), "failure": self.failure}


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissingError(
            "wrk is not installed: it comes from Debian's `wrk` package (apt-get install -y wrk)"
        )
    return path


def wrk_version() -> str:
    proc = subprocess.run([wrk_binary(), "--version"], capture_output=True, text=True, check=False)
    return (
        (proc.stdout or proc.stderr).splitlines()[0].strip()
        if (proc.stdout or proc.stderr)
        else "?"
    )


def script_text(scenario: str, *, token: str = "", users: int = 1, tag: str = "x") -> str:
    body = SCENARIO_SCRIPTS[scenario].format(
        token=token,
        users=users,
        prefix=SEED_UUID_PREFIX,
        tag=tag,
        password=BENCH_PASSWORD,
    )
    return body + DONE_HOOK


def parse_output(stdout: str) -> WrkResult:
    for line in stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return WrkResult(**json.loads(line[len(RESULT_MARK) :]))
    raise RuntimeError(f"wrk printed no result line; its output:\n{stdout[-2000:]}")


def run(
    url: str,
    script: str,
    *,
    duration: float,
    connections: int,
    cpu: str | None,
    timeout_s: int = 30,
    tick: Callable[[float], None] | None = None,
) -> WrkResult:
    """One wrk run; `tick(elapsed)` is called about twice a second while it runs."""
    with tempfile.TemporaryDirectory(prefix="bakeoff-wrk-") as tmp:
        path = Path(tmp) / "scenario.lua"
        path.write_text(script)
        argv = [
            wrk_binary(),
            "-t",
            "1",
            "-c",
            str(connections),
            "-d",
            f"{max(1, round(duration))}s",
            "--timeout",
            f"{timeout_s}s",
            "-s",
            str(path),
            url,
        ]
        if cpu is not None:
            argv = ["taskset", "-c", cpu, *argv]
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        while proc.poll() is None:
            if tick is not None:
                tick(time.monotonic() - started)
            time.sleep(0.5)
        out = proc.stdout.read() if proc.stdout else ""
        if proc.returncode != 0:
            raise RuntimeError(f"wrk exited with {proc.returncode}:\n{out[-2000:]}")
        return parse_output(out)
