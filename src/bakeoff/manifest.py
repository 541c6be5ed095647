"""Per-service manifests (`services/<name>/service.toml`): how each service runs."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES_DIR = REPO_ROOT / "services"
COMMAND_KEYS = ("migrate", "api", "worker", "create_admin")
# The environment every service reads (contract/README.md §7): what a caller's shell could leak
# into a service started for a test or a benchmark.
SERVICE_SETTINGS = (
    "DATABASE_URL",
    "BROKER_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "MAIL_FROM",
    "SECRET_KEY",
    "ACCESS_TOKEN_TTL_SECONDS",
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "CORS_ORIGINS",
    "PORT",
    "ENVIRONMENT",
    "WEB_CONCURRENCY",
    "OUTBOX_REDELIVER_AFTER_SECONDS",
)


class ManifestError(Exception):
    """A service manifest is missing or malformed."""


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    summary: str
    directory: Path
    commands: dict[str, tuple[str, ...]]
    # The framework's own `migrate` and `serve` commands, for a copy without the launcher.
    native: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def venv(self) -> Path:
        return self.directory / ".venv"

    def argv(self, key: str, **values: object) -> list[str]:
        """The command `key` with `{placeholders}` filled, its program taken from the venv."""
        return self._resolve(self.commands[key], values)

    def native_argv(self, key: str, **values: object) -> list[str]:
        return self._resolve(self.native[key], values)

    def _resolve(self, template: tuple[str, ...], values: dict[str, object]) -> list[str]:
        argv = [part.format(**values) for part in template]
        program = self.venv / "bin" / argv[0]
        if program.exists():
            argv[0] = str(program)
        return argv


def load_service(path: Path) -> Service:
    try:
        data = tomllib.loads(path.read_text())
        commands = data["commands"]
        missing = [key for key in COMMAND_KEYS if key not in commands]
        if missing:
            raise ManifestError(f"{path}: commands missing: {', '.join(missing)}")
        return Service(
            name=str(data["name"]),
            port=int(data["port"]),
            summary=str(data.get("summary", "")),
            directory=path.parent,
            commands={key: tuple(str(part) for part in commands[key]) for key in COMMAND_KEYS},
            native={
                key: tuple(str(part) for part in argv)
                for key, argv in data.get("native", {}).items()
            },
        )
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: {exc!r}") from exc


def all_services() -> list[Service]:
    """Every service that exists, ordered by port."""
    services = [load_service(p) for p in sorted(SERVICES_DIR.glob("*/service.toml"))]
    return sorted(services, key=lambda s: s.port)


def get_service(name: str) -> Service:
    path = SERVICES_DIR / name / "service.toml"
    if not path.is_file():
        known = ", ".join(s.name for s in all_services()) or "none"
        raise ManifestError(f"no service named {name!r} (known: {known})")
    return load_service(path)
