"""The ASGI application: `uvicorn app.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from app.auth.api import router as auth_router
from app.auth.schemas import TokenRequest
from app.core.config import Settings, get_settings
from app.core.cors import ContractCORSMiddleware
from app.core.db import create_engine, create_sessionmaker
from app.core.header_limits import HeaderLimitMiddleware
from app.core.logging import configure_logging
from app.core.middleware import (
    AccessLogMiddleware,
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
)
from app.core.openapi import build_openapi, mount_docs
from app.core.problems import register_problem_handlers
from app.health.api import router as health_router
from app.users.api_v1 import router as users_v1_router
from app.users.api_v2 import router as users_v2_router
from app.users.bootstrap import admin_bootstrap
from app.users.schemas import UserV1Create, UserV1Update, UserV2Create, UserV2Update

DESCRIPTION = """One versioned users API. v1 (deprecated) uses sequential ids; v2 uses UUIDs,
keyset pagination and ETag / If-Match. Every error is `application/problem+json` (RFC 9457)."""

TAGS = [
    {"name": "health", "description": "Liveness and readiness (unversioned)."},
    {"name": "auth", "description": "OAuth2 password grant issuing HS256 JWT bearer tokens."},
    {"name": "users-v1", "description": "Deprecated since 2026-01-01, sunset 2027-07-01."},
    {"name": "users-v2", "description": "Current. UUID ids, keyset pagination, ETag / If-Match."},
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    app.state.sessions = create_sessionmaker(engine)
    try:
        await admin_bootstrap(sessions=app.state.sessions, settings=settings)
        yield
    finally:
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    app = FastAPI(
        title="Users API",
        version="2.0.0",
        summary="One versioned users API, implemented identically by every service.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        redirect_slashes=False,
        # Served by mount_docs() below: GET-only routes and self-hosted Swagger UI assets.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    register_problem_handlers(app)
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(users_v1_router)
    app.include_router(users_v2_router)
    mount_docs(app)

    def openapi() -> dict[str, Any]:
        models: list[type[BaseModel]] = [
            UserV1Create,
            UserV1Update,
            UserV2Create,
            UserV2Update,
            TokenRequest,
        ]
        return build_openapi(app, extra_models=models)

    app.openapi = openapi  # type: ignore[method-assign]

    # Added innermost first: the last one added wraps everything else.
    app.add_middleware(BodySizeLimitMiddleware)
    if settings.cors_origins:
        # Outside routing, so a preflight is answered on any path (contract §4 "CORS").
        app.add_middleware(ContractCORSMiddleware, allow_origins=settings.cors_origins)
    app.add_middleware(RequestContextMiddleware)
    # A header flood is refused before anything else looks at the request.
    app.add_middleware(HeaderLimitMiddleware)
    # Outermost: times and logs every answer, the 431 above included.
    app.add_middleware(AccessLogMiddleware)
    return app


app = create_app()
