"""Dependency injection (sanic-ext): settings, the request's DB session, the current user."""

from __future__ import annotations

from typing import Any

from sanic import Request, Sanic
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import user_from_token
from app.core.config import Settings
from app.outbox.service import OutboxPublisher
from app.users.models import User


def db_session(request: Request) -> AsyncSession:
    """One session per request, closed by `close_session` when the response is out."""
    session = getattr(request.ctx, "db_session", None)
    if session is None:
        session = request.app.ctx.sessionmaker()
        request.ctx.db_session = session
    assert isinstance(session, AsyncSession)
    return session


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def current_user(request: Request, session: AsyncSession) -> User:
    settings: Settings = request.app.ctx.settings
    token = bearer_token(request.headers.getone("authorization", None))
    return await user_from_token(session=session, token=token, secret_key=settings.secret_key)


def outbox_publisher(request: Request) -> OutboxPublisher:
    publisher = request.app.ctx.publisher
    assert isinstance(publisher, OutboxPublisher)
    return publisher


async def close_session(request: Request, _response: Any = None) -> None:
    session = getattr(request.ctx, "db_session", None)
    if session is not None:
        request.ctx.db_session = None
        await session.close()


def register_dependencies(app: Sanic[Any, Any], settings: Settings) -> None:
    app.ext.dependency(settings)
    app.ext.add_dependency(AsyncSession, db_session)
    app.ext.add_dependency(User, current_user)
    app.ext.add_dependency(OutboxPublisher, outbox_publisher)
    app.on_response(close_session, priority=-100)  # type: ignore[no-untyped-call]
