"""The outbox repository: the row lock that makes concurrent deliveries safe."""

from __future__ import annotations

import asyncio
from datetime import datetime

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.outbox.repository import WELCOME_EMAIL, OutboxRepository


async def test_a_second_delivery_waits_for_the_first_then_sees_it_delivered(
    settings: Settings,
) -> None:
    """The row lock (SQLite: the database write lock) is what makes concurrent copies safe."""
    first, second = create_engine(settings), create_engine(settings)
    try:
        async with create_sessionmaker(first).begin() as session:
            message = await OutboxRepository(session).add(
                kind=WELCOME_EMAIL, payload={"email": "a@example.com", "name": "A"}, request_id=None
            )
            outbox_id = message.id

        async def deliver_again() -> datetime | None:
            async with create_sessionmaker(second)() as session:
                again = await OutboxRepository(session).get_locked(outbox_id)
                assert again is not None
                return again.delivered_at

        async with create_sessionmaker(first)() as session:
            assert await OutboxRepository(session).get_locked(outbox_id) is not None
            waiting = asyncio.create_task(deliver_again())
            await asyncio.sleep(0.5)  # "sending"
            assert not waiting.done()
            await OutboxRepository(session).mark_delivered(outbox_id)
            await session.commit()
        assert await asyncio.wait_for(waiting, timeout=10) is not None
    finally:
        await first.dispose()
        await second.dispose()
