"""One settings object for the whole service, read from the environment and `.env`."""

import secrets
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite:///var/app.db"
    broker_url: str = "sqla+sqlite:///var/broker.sqlite"
    smtp_host: str = "localhost"
    smtp_port: int = 1025
    mail_from: str = "no-reply@users-api.local"
    secret_key: str | None = None
    access_token_ttl_seconds: int = Field(default=900, ge=1)
    admin_email: str | None = None
    admin_password: str | None = None
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    cors_origins: Annotated[list[str], NoDecode] = []
    port: int = 8001
    # Per process; size them so WEB_CONCURRENCY * (pool + overflow) fits max_connections.
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    # The relay publishes a job again when it was handed to the broker this long ago and is still
    # not delivered (the broker lost it). Every retry restarts the clock (app/worker/tasks.py), so
    # this only has to exceed the longest retry countdown (RETRY_BACKOFF_MAX_SECONDS, 600 s) plus
    # one attempt; 900 s never duplicates a job whose retry is still waiting in the broker.
    outbox_redeliver_after_seconds: int = Field(default=900, ge=1)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _require_secret_outside_development(self) -> "Settings":
        if not self.secret_key:
            if self.environment is not Environment.DEVELOPMENT:
                raise ValueError("SECRET_KEY must be set when ENVIRONMENT is not development")
            # Per-process random key: tokens die with the process, which is fine for development.
            self.secret_key = secrets.token_urlsafe(32)
        return self

    @property
    def jwt_key(self) -> str:
        assert self.secret_key is not None  # set by the validator above
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    return Settings()
