"""The one settings object (pydantic-settings; environment and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_DIR = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "development-only-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = f"sqlite:///{SERVICE_DIR / 'var' / 'app.db'}"
    broker_url: str = f"sqla+sqlite:///{SERVICE_DIR / 'var' / 'broker.sqlite'}"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "no-reply@users-api.local"
    secret_key: str = ""
    access_token_ttl_seconds: int = Field(default=900, ge=1)
    admin_email: str | None = None
    admin_password: str | None = None
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    cors_origins: str = ""
    port: int = 8004
    web_concurrency: int = Field(default=1, ge=1)
    graceful_shutdown_timeout: float = 15.0
    db_pool_size: int = 10
    # The relay publishes a job again when it was handed to the broker this long ago and is still
    # not delivered (the broker lost it). Every retry restarts the clock (app/worker/tasks.py), so
    # this only has to exceed the longest retry countdown (retry_backoff_max, 300 s) plus one
    # attempt; 900 s never duplicates a job whose retry is still waiting in the broker.
    outbox_redeliver_after_seconds: int = Field(default=900, ge=1)

    @model_validator(mode="after")
    def _secret_key_required_outside_development(self) -> Settings:
        if not self.secret_key:
            if self.environment != "development":
                raise ValueError("SECRET_KEY must be set when ENVIRONMENT is not development")
            self.secret_key = DEV_SECRET_KEY
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
