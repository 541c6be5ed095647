"""Liveness and readiness (unversioned)."""

import asyncio
import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from kombu import Connection
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app.core.deps import SessionMakerDep, SettingsDep
from app.core.errors import ServiceUnavailable
from app.core.openapi import Checks, problem_responses, standard_response_headers
from app.core.problems import problem_response

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_SECONDS = 3


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["ok"]


class Readiness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["ok"]
    checks: Checks


@router.get(
    "/health",
    operation_id="health",
    summary="Liveness; touches nothing.",
    response_model=Health,
    responses={
        200: {"description": "The process is alive.", "headers": standard_response_headers()}
    },
)
async def health() -> Health:
    return Health(status="ok")


async def database_ok(sessions: SessionMakerDep) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS), sessions() as session:
            await session.execute(text("SELECT 1"))
    except Exception:
        log.warning("readiness: database check failed", exc_info=True)
        return False
    return True


async def broker_ok(broker_url: str) -> bool:
    def ping() -> None:
        with Connection(broker_url, connect_timeout=CHECK_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)

    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS + 1):
            await run_in_threadpool(ping)
    except Exception:
        log.warning("readiness: broker check failed", exc_info=True)
        return False
    return True


@router.get(
    "/ready",
    operation_id="ready",
    summary="Readiness; checks the database and the broker.",
    response_model=Readiness,
    responses={
        200: {"description": "Every dependency answers.", "headers": standard_response_headers()},
        503: {
            **problem_responses(503)[503],
            "description": "A dependency is unreachable; `checks` says which.",
        },
    },
)
async def ready(
    request: Request, sessions: SessionMakerDep, settings: SettingsDep
) -> Readiness | JSONResponse:
    database, broker = await asyncio.gather(database_ok(sessions), broker_ok(settings.broker_url))
    checks = Checks(database="ok" if database else "error", broker="ok" if broker else "error")
    if database and broker:
        return Readiness(status="ok", checks=checks)
    return problem_response(request, ServiceUnavailable(checks=checks.model_dump()))
