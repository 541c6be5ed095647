"""Data access for users; the only module that builds user queries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from app.users.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def get_by_public_id(self, public_id: uuid.UUID) -> User | None:
        return self.session.scalars(select(User).where(User.public_id == public_id)).first()

    def get_by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email)).first()

    def email_taken(self, email: str, *, except_id: int | None = None) -> bool:
        stmt = select(User.id).where(User.email == email)
        if except_id is not None:
            stmt = stmt.where(User.id != except_id)
        return self.session.scalars(stmt).first() is not None

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(User)) or 0

    def page_by_id(self, *, offset: int, limit: int) -> list[User]:
        return list(
            self.session.scalars(select(User).order_by(User.id).offset(offset).limit(limit))
        )

    def page_by_creation(
        self,
        *,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
        status: str | None,
        email: str | None,
    ) -> list[User]:
        stmt = select(User)
        if after is not None:
            created_at, public_id = after
            stmt = stmt.where(
                or_(
                    User.created_at > created_at,
                    and_(User.created_at == created_at, User.public_id > public_id),
                )
            )
        if status is not None:
            stmt = stmt.where(User.status == status)
        if email is not None:
            stmt = stmt.where(User.email == email)
        stmt = stmt.order_by(User.created_at, User.public_id).limit(limit)
        return list(self.session.scalars(stmt))

    def delete(self, user: User) -> None:
        self.session.execute(delete(User).where(User.id == user.id))
