"""Data access for users: the only module that writes SQL for them."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.users.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int, *, for_update: bool = False) -> User | None:
        # populate_existing: re-read (and lock) even when the row is already in the session,
        # e.g. because the caller is the authenticated user.
        return await self.session.get(
            User, user_id, with_for_update=for_update, populate_existing=for_update
        )

    async def get_by_public_id(
        self, public_id: uuid.UUID, *, for_update: bool = False
    ) -> User | None:
        query = select(User).where(User.public_id == public_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def replace_password_hash(self, *, user_id: int, old: str, new: str) -> bool:
        """Only while the stored hash is still `old`: a password changed meanwhile stays."""
        result = await self.session.execute(
            update(User)
            .where(User.id == user_id, User.password_hash == old)
            .values(password_hash=new)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete(self, user: User) -> None:
        await self.session.delete(user)
        await self.session.flush()

    async def count(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(User)) or 0

    async def list_by_id(self, *, offset: int, limit: int) -> Sequence[User]:
        query = select(User).order_by(User.id).offset(offset).limit(limit)
        return (await self.session.scalars(query)).all()

    async def list_by_creation(
        self,
        *,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        status: str | None,
        email: str | None,
    ) -> Sequence[User]:
        query = select(User).order_by(User.created_at, User.public_id).limit(limit)
        if after is not None:
            created_at, public_id = after
            query = query.where(
                or_(
                    User.created_at > created_at,
                    and_(User.created_at == created_at, User.public_id > public_id),
                )
            )
        if status is not None:
            query = query.where(User.status == status)
        if email is not None:
            query = query.where(User.email == email)
        return (await self.session.scalars(query)).all()
