"""Liveness and readiness (unversioned)."""

import logging
from typing import Literal

from flask import Response, current_app
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from app.core.errors import ServiceUnavailable
from app.core.http import json_response
from app.core.openapi import PUBLIC, Checks, problems, success
from app.core.validation import clean_schema
from app.extensions import db

log = logging.getLogger(__name__)

health_api = APIBlueprint(
    "health",
    __name__,
    abp_tags=[Tag(name="health", description="Liveness and readiness (unversioned).")],
)


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)
    status: Literal["ok"]


class Readiness(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=clean_schema)
    status: Literal["ok"]
    checks: Checks


@health_api.get(
    "/health",
    operation_id="health",
    summary="Liveness; touches nothing.",
    openapi_extensions=PUBLIC,
    responses={200: success(Health, "The process is alive.")},
)
def health() -> Response:
    return json_response({"status": "ok"})


def database_ok() -> bool:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        log.warning("readiness: database unreachable", exc_info=True)
        return False
    return True


def broker_ok() -> bool:
    celery = current_app.extensions["celery"]
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        log.warning("readiness: broker unreachable", exc_info=True)
        return False
    return True


@health_api.get(
    "/ready",
    operation_id="ready",
    summary="Readiness; checks the database and the broker.",
    openapi_extensions=PUBLIC,
    responses={
        200: success(Readiness, "Every dependency answers."),
        503: {
            **problems(503)[503],
            "description": "A dependency is unreachable; `checks` says which.",
        },
    },
)
def ready() -> Response:
    checks = {
        "database": "ok" if database_ok() else "error",
        "broker": "ok" if broker_ok() else "error",
    }
    if "error" in checks.values():
        raise ServiceUnavailable(checks=checks)
    return json_response({"status": "ok", "checks": checks})
