"""One pydantic-settings object: the environment (and `.env`) is the only configuration source."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = SERVICE_DIR / "var"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///var/app.db"
    broker_url: str = "sqla+sqlite:///var/broker.sqlite"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "no-reply@users-api.local"
    secret_key: str = ""
    access_token_ttl_seconds: int = 900
    admin_email: str | None = None
    admin_password: str | None = None
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    cors_origins: str = ""
    port: int = 8003
    web_concurrency: int = 1
    # The relay publishes a job again when it was handed to the broker this long ago and is still
    # not delivered (the broker lost it). Every retry restarts the clock (app/worker/tasks.py), so
    # this only has to exceed the longest retry countdown (retry_backoff_max, 300 s) plus one
    # attempt; 900 s never duplicates a job whose retry is still waiting in the broker.
    outbox_redeliver_after_seconds: int = Field(default=900, ge=1)

    @model_validator(mode="after")
    def _require_secret_outside_development(self) -> Settings:
        if not self.secret_key:
            if self.environment != "development":
                raise ValueError("SECRET_KEY must be set when ENVIRONMENT is not development")
            self.secret_key = _development_secret()
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


def _development_secret() -> str:
    """A random key shared by every process of this checkout (gunicorn workers must agree)."""
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        # Written aside then linked: a racing process sees either no file or the whole key.
        scratch = VAR_DIR / f".dev-secret-key.{os.getpid()}"
        scratch.write_text(secrets.token_urlsafe(48))
        scratch.chmod(0o600)
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
