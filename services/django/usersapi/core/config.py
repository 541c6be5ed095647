"""The one settings object: every value the service reads from the environment (or `.env`)."""

from __future__ import annotations

import os
import secrets
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = SERVICE_DIR / "var"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = f"sqlite:///{VAR_DIR / 'app.db'}"
    broker_url: str = f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite'}"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "no-reply@users-api.local"
    secret_key: str | None = None
    access_token_ttl_seconds: int = Field(default=900, ge=1)
    admin_email: str | None = None
    admin_password: str | None = None
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    cors_origins: str = ""
    port: int = 8002
    allowed_hosts: str = "*"
    web_concurrency: int = Field(default=1, ge=1)
    database_pool_max_size: int = Field(default=10, ge=1)
    # The relay publishes a job again when it was handed to the broker this long ago and is still
    # not delivered (the broker lost it). Every retry restarts the clock (users/tasks.py), so this
    # only has to exceed the longest retry countdown (retry_backoff_max, 300 s) plus one attempt.
    outbox_redeliver_after_seconds: int = Field(default=900, ge=1)

    @model_validator(mode="after")
    def _secret_key_outside_development(self) -> Settings:
        if self.environment != "development" and not self.secret_key:
            raise ValueError("SECRET_KEY must be set when ENVIRONMENT is not 'development'")
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def signing_key(self) -> str:
        """SECRET_KEY, or in development a random key shared by every local process via var/."""
        if self.secret_key:
            return self.secret_key
        return _development_key(VAR_DIR / "dev-secret-key")


def _development_key(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Unique per process and thread: gunicorn's threads may get here at the same moment.
        staging = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        staging.write_text(secrets.token_urlsafe(48))
        staging.chmod(0o600)
        try:
            os.link(staging, path)  # atomic: the first process to link wins
        except FileExistsError:
            pass
        finally:
            staging.unlink()
    return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
