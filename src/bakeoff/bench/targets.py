"""What the benchmark measures: the targets (services and bare baselines) and its settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from bakeoff.manifest import REPO_ROOT, Service, all_services, get_service

BASELINES_DIR = REPO_ROOT / "baselines"
SCENARIOS = ("health", "get", "list", "create")
FAMILY = {"fastapi": "asgi", "sanic": "asgi", "django": "wsgi", "flask": "wsgi"}


@dataclass(frozen=True)
class Settings:
    duration: float = 10.0
    runs: int = 3
    warmup: float = 5.0
    connections: int = 64
    # Each create costs one argon2id hash (tens of ms to a second of CPU on one core): with 64
    # connections the run would measure the queue, and time out on a busy machine.
    create_connections: int = 16
    users: int = 10_000
    embedded: bool = False
    scenarios: tuple[str, ...] = SCENARIOS
    pin: bool = True

    @property
    def backend(self) -> str:
        return "embedded" if self.embedded else "postgres"


@dataclass
class Target:
    service: Service
    kind: str  # "service" | "baseline"
    family: str  # "asgi" | "wsgi"
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.service.name


def baseline_targets() -> list[Target]:
    config = tomllib.loads((BASELINES_DIR / "baselines.toml").read_text())
    targets = []
    for family in ("asgi", "wsgi"):
        entry = config[family]
        service = Service(
            name=f"{family}-baseline",
            port=0,
            summary=str(entry["summary"]),
            directory=BASELINES_DIR,
            commands={"api": tuple(str(p) for p in entry["api"])},
        )
        targets.append(Target(service, "baseline", family))
    return targets


def service_targets(names: list[str] | None) -> list[Target]:
    """The named services (`none`: no service, only the baselines), default all of them."""
    if names == ["none"]:
        return []
    services = [get_service(n) for n in names] if names else all_services()
    return [Target(s, "service", FAMILY.get(s.name, _guess_family(s))) for s in services]


def _guess_family(service: Service) -> str:
    api = " ".join(service.commands["api"])
    return "wsgi" if "gunicorn" in api and "uvicorn" not in api else "asgi"
