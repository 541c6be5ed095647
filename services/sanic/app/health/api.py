"""Unversioned operational endpoints: liveness and readiness."""

from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json
from sqlalchemy import text

from app.core import openapi as doc
from app.core.errors import ServiceUnavailable
from app.core.problems import problem_response
from app.core.schemas import Health, Problem, Readiness
from app.worker.celery_app import broker_reachable

bp = Blueprint("health")
log = logging.getLogger("app.health")
CHECK_TIMEOUT = 2.0


@bp.get("/health")
@doc.operation("health", tag="health", summary="Liveness; touches nothing.", public=True)
@doc.responds(200, "The process is alive.", Health)
async def health(request: Request) -> HTTPResponse:
    return json(Health(status="ok").model_dump(mode="json"))


async def database_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            async with request.app.ctx.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("readiness: database check failed: %r", exc)
        return False
    return True


async def broker_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            return await asyncio.to_thread(broker_reachable, request.app.ctx.celery, CHECK_TIMEOUT)
    except TimeoutError:
        return False


@bp.get("/ready")
@doc.operation("ready", tag="health", summary="Readiness; database and broker.", public=True)
@doc.responds(200, "Every dependency answers.", Readiness)
@doc.responds(503, "A dependency is unreachable.", Problem, media=doc.PROBLEM_MEDIA)
async def ready(request: Request) -> HTTPResponse:
    database, broker = await asyncio.gather(database_ok(request), broker_ok(request))
    checks = {"database": "ok" if database else "error", "broker": "ok" if broker else "error"}
    if database and broker:
        return json({"status": "ok", "checks": checks})
    return problem_response(request, ServiceUnavailable(checks))
