"""The app factory: configuration, extensions, DI, blueprints, listeners."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from sanic import Blueprint, Sanic
from sanic_ext import Config as ExtConfig

from app.auth.api import auth_blueprint
from app.auth.security import hashing_pool_close, hashing_pool_open
from app.core import cors, header_limits, http
from app.core.config import Settings, get_settings
from app.core.context import AppRequest
from app.core.db import create_engine, create_sessionmaker
from app.core.deps import register_dependencies
from app.core.logging import install_request_line, logging_config
from app.core.openapi import setup_openapi
from app.core.problems import HARD_BODY_CAP, ProblemErrorHandler
from app.core.validation import strict_json_loads
from app.docs.api import install_docs
from app.health.api import bp as health_bp
from app.outbox.service import OutboxPublisher
from app.users import api_v1, api_v2
from app.users.bootstrap import admin_bootstrap
from app.worker.celery_app import create_celery

log = logging.getLogger("app")
APP_NAME = "users_api_sanic"


def create_app(*, settings: Settings | None = None) -> Sanic[Any, Any]:
    """The app, from `settings` or the environment.

    Also Sanic's CLI target: `sanic app.main:create_app --factory`. The CLI first calls a factory
    with its parsed arguments and, on a TypeError, with none; `settings` is keyword-only so that
    first call fails before the body runs and the app is built from the environment.
    """
    settings = settings or get_settings()
    app: Sanic[Any, Any] = Sanic(
        APP_NAME,
        request_class=AppRequest,
        error_handler=ProblemErrorHandler(),
        loads=strict_json_loads,
        log_config=logging_config(settings.log_level, settings.log_format),
        strict_slashes=True,
    )
    app.config.update(
        {
            "REQUEST_MAX_SIZE": HARD_BODY_CAP,
            "GRACEFUL_SHUTDOWN_TIMEOUT": settings.graceful_shutdown_timeout,
            "ACCESS_LOG": False,  # replaced by the `access` request line (core/logging)
            "FALLBACK_ERROR_FORMAT": "json",
            "REQUEST_ID_HEADER": "X-Request-ID",
            "KEEP_ALIVE_TIMEOUT": 5,
        }
    )
    app.extend(
        config=ExtConfig(
            # The contract answers HEAD/OPTIONS/TRACE with 405 like any other unlisted method;
            # OPTIONS routes exist only for CORS preflights (app.core.cors refuses the rest).
            http_auto_head=False,
            http_auto_trace=False,
            **cors.sanic_ext_config(settings.cors_origin_list),
            # /openapi.json at the root; the bundled CDN-backed UIs are replaced by app.docs.
            oas_url_prefix="",
            oas_uri_to_json="/openapi.json",
            oas_ui_redoc=False,
            oas_ui_swagger=False,
            oas_ui_default=None,
            # Dependencies resolve just before the handler: after routing, the body-size limit
            # and the media-type check, so 404/405/413/415 come before 401 as the contract orders.
            injection_signal="http.handler.before",
        )
    )
    app.ctx.settings = settings
    setup_openapi(app)
    register_dependencies(app, settings)
    install_request_line(app)
    http.install(app)
    cors.install(app)
    header_limits.install(app)

    v1 = Blueprint.group(auth_blueprint(1), api_v1.bp, version=1, version_prefix="/api/v")
    v2 = Blueprint.group(auth_blueprint(2), api_v2.bp, version=2, version_prefix="/api/v")
    install_docs(app)
    for blueprint in (health_bp, v1, v2):
        app.blueprint(blueprint)

    app.before_server_start(open_resources)
    app.before_server_stop(keep_draining_on_repeated_signals)
    app.after_server_stop(close_resources)
    return app


async def open_resources(app: Sanic[Any, Any]) -> None:
    settings: Settings = app.ctx.settings
    hashing_pool_open()
    app.ctx.engine = create_engine(settings)
    app.ctx.sessionmaker = create_sessionmaker(app.ctx.engine)
    app.ctx.celery = create_celery(settings)
    app.ctx.publisher = OutboxPublisher(
        celery=app.ctx.celery,
        sessionmaker=app.ctx.sessionmaker,
    )
    await admin_bootstrap(app.ctx.sessionmaker, settings)


async def keep_draining_on_repeated_signals(app: Sanic[Any, Any]) -> None:
    """The first SIGTERM starts the drain; a second one (the manager forwarding it, or a
    process-group kill reaching the worker directly) would stop the loop mid-drain and drop
    in-flight requests, so once stopping, further signals are ignored."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(sig)
            loop.add_signal_handler(sig, lambda: None)


async def close_resources(app: Sanic[Any, Any]) -> None:
    await app.ctx.engine.dispose()
    hashing_pool_close()
