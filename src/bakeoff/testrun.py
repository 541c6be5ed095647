"""`make test`: check every prerequisite in seconds, provide what can be provided, run the stages.

Standard library only: it runs on the bootstrap interpreter in `.tools/`, before any project
virtualenv exists.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bakeoff.servers import (
    PrivatePostgres,
    PrivateRedis,
    pg_binary,
    postgres_answers,
    redis_answers,
)

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"
ALLOW_SMALLER = "BAKEOFF_ALLOW_SMALLER"


@dataclass(frozen=True)
class Program:
    """A program some stage runs, and the Debian package that provides it."""

    name: str
    package: str
    needed_by: str

    def found(self) -> bool:
        if self.name in ("initdb", "pg_ctl"):
            return pg_binary(self.name) is not None
        if self.name == "chromium" and os.environ.get("BAKEOFF_CHROMIUM"):
            return os.path.isfile(os.environ["BAKEOFF_CHROMIUM"])
        return shutil.which(self.name) is not None


PROGRAMS = (
    Program("git", "git", "the first-run test (clones the working tree)"),
    Program("psql", "postgresql-client", "the PostgreSQL init-script check"),
    Program("initdb", "postgresql", "the fault tests' private PostgreSQL"),
    Program("pg_ctl", "postgresql", "the fault tests' private PostgreSQL"),
    Program("redis-server", "redis-server", "the fault tests' private Redis"),
    Program("chromium", "chromium", "the browser check"),
)


@dataclass(frozen=True)
class Knob:
    """A BAKEOFF_* variable that sizes a suite; a smaller value than the default shrinks it."""

    variable: str
    default: str
    meaning: str

    def effective(self) -> str:
        return os.environ.get(self.variable) or self.default

    def shrinks(self) -> bool:
        value = os.environ.get(self.variable)
        if not value:
            return False
        if self.default == "all":
            return True  # a chosen subset of services
        try:
            return float(value) < float(self.default)
        except ValueError:
            return True


KNOBS = (
    Knob("BAKEOFF_ST_MAX_EXAMPLES", "20", "schemathesis examples per operation"),
    Knob("BAKEOFF_SOAK_SECONDS", "60", "soak seconds per service"),
    Knob("BAKEOFF_PARITY_SERVICES", "all", "services the parity corpus is replayed on"),
    Knob("BAKEOFF_FUZZ_REQUESTS", "2000", "generated requests the differential fuzzer replays"),
    Knob("BAKEOFF_BROWSER_SERVICES", "all", "services the browser check opens"),
)
# Chosen per tox env by the Makefile's stages; a leftover shell value would silently redirect them.
LEAKY = ("BAKEOFF_SERVICE", "BAKEOFF_BACKEND")


def missing_programs() -> list[Program]:
    return [p for p in PROGRAMS if not p.found()]


def install_command(packages: Sequence[str]) -> str:
    return "apt-get update && apt-get install -y " + " ".join(sorted(set(packages)))


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install(packages: Sequence[str]) -> bool:
    say(f"installing Debian packages: {' '.join(sorted(set(packages)))}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for argv in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *sorted(set(packages))],
    ):
        if subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL).returncode:
            return False
    return True


def say(message: str) -> None:
    sys.stdout.write(f"make test: {message}\n")
    sys.stdout.flush()


def check_sizes() -> list[str]:
    """Print what the suites will run; name every knob that would shrink one."""
    for knob in KNOBS:
        say(f"{knob.meaning}: {knob.effective()} ({knob.variable})")
    problems = [
        f"{k.variable}={os.environ[k.variable]} is below the default {k.default}"
        for k in KNOBS
        if k.shrinks()
    ]
    problems += [f"{v}={os.environ[v]} is set in this shell" for v in LEAKY if os.environ.get(v)]
    if problems and os.environ.get(ALLOW_SMALLER) == "1":
        for problem in problems:
            say(f"accepted because {ALLOW_SMALLER}=1: {problem}")
        return []
    if problems:
        problems.append(f"unset them, or set {ALLOW_SMALLER}=1 to run smaller suites on purpose")
    return problems


def host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


def _server_for_the_run(
    name: str,
    variable: str,
    default_url: str,
    answers: Callable[[str, int], bool],
    private: Callable[[], PrivatePostgres | PrivateRedis],
    started: list[PrivatePostgres | PrivateRedis],
) -> dict[str, str]:
    """Nothing to set when the configured server answers; else a private one and its URL."""
    url = os.environ.get(variable, default_url)
    if answers(*host_port(url, urlsplit(default_url).port or 0)):
        say(f"{name} answers at {url}")
        return {}
    server = private()
    started.append(server)
    server.start()
    private_url = server.admin_url if isinstance(server, PrivatePostgres) else server.base_url
    say(f"{name} did not answer at {url}; started a private one for this run at {private_url}")
    return {variable: private_url}


@contextlib.contextmanager
def servers_for_the_run() -> Iterator[dict[str, str]]:
    """PostgreSQL and Redis for the suite: the configured ones if they answer, else private ones."""
    started: list[PrivatePostgres | PrivateRedis] = []
    try:
        env = _server_for_the_run(
            "PostgreSQL", "BAKEOFF_PG_URL", DEFAULT_PG_URL, postgres_answers, PrivatePostgres,
            started,
        )  # fmt: skip
        env |= _server_for_the_run(
            "Redis", "BAKEOFF_REDIS_URL", DEFAULT_REDIS_URL, redis_answers, PrivateRedis, started
        )
        yield env
    finally:
        for server in reversed(started):
            server.remove()


def stages(tox: str, parallel: int) -> list[tuple[str, list[str]]]:
    services = "fastapi,django,flask,sanic"
    return [
        ("checks", [tox, "run", "-e", "lint,types,contract,static",
                    "--result-json", "reports/tox-checks.json"]),
        ("services", [tox, "run-parallel", "-p", str(parallel), "--parallel-no-spinner",
                      "-e", services, "--result-json", "reports/tox-services.json"]),
        ("compare", [tox, "run", "-e", "parity,differential,browser,firstrun",
                     "--result-json", "reports/tox-compare.json"]),
        ("soak", [tox, "run", "-e", "soak", "--result-json", "reports/tox-soak.json"]),
    ]  # fmt: skip


def prerequisites() -> list[str]:
    """Everything missing that cannot be provided here, as lines of one message."""
    problems = check_sizes()
    missing = missing_programs()
    if missing and can_install():
        install([p.package for p in missing])
        missing = missing_programs()
    if missing:
        for program in missing:
            problems.append(f"{program.name} is missing (needed by {program.needed_by})")
        problems.append(f"install them with: {install_command([p.package for p in missing])}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make test", description=__doc__)
    parser.add_argument("--tox", required=True, help="the tox to run the stages with")
    parser.add_argument("--parallel", type=int, default=4, help="service envs side by side")
    parser.add_argument("--check-only", action="store_true", help="check and provide, run nothing")
    args = parser.parse_args(argv)

    problems = prerequisites()
    if problems:
        sys.stderr.write("make test cannot start:\n" + "".join(f"  - {p}\n" for p in problems))
        return 3
    os.makedirs("reports", exist_ok=True)
    with servers_for_the_run() as server_env:
        if args.check_only:
            return 0
        env = dict(os.environ, **server_env)
        failed: list[str] = []
        for name, command in stages(args.tox, args.parallel):
            started = time.monotonic()
            say(f"stage {name}: {' '.join(command[1:])}")
            code = subprocess.run(command, env=env, check=False).returncode
            say(f"stage {name}: {'ok' if code == 0 else f'FAILED ({code})'} "
                f"in {time.monotonic() - started:.0f}s")  # fmt: skip
            if code:
                failed.append(name)
                break
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
