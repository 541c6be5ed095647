"""The worker reuses the async repositories: one event loop and engine per worker process."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker

_loop: asyncio.AbstractEventLoop | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def run_with_sessions[T](work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Run `work` on this process's loop with its session factory (both made lazily, after
    the fork)."""
    global _loop, _sessionmaker
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        _sessionmaker = None
    if _sessionmaker is None:
        _sessionmaker = create_sessionmaker(create_engine(get_settings()))
    return _loop.run_until_complete(work(_sessionmaker))


def run_in_session[T](work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in a fresh session, committed when it returns."""

    async def run(sessions: async_sessionmaker[AsyncSession]) -> T:
        async with sessions() as session:
            result = await work(session)
            await session.commit()
            return result

    return run_with_sessions(run)
