"""Data access for users; the only module that builds user queries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.users.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def replace_password_hash(self, *, user_id: int, old: str, new: str) -> None:
        """Only while the stored hash is still `old`: a password changed meanwhile stays."""
        self.session.execute(
            update(User)
            .where(User.id == user_id, User.password_hash == old)
            .values(password_hash=new)
            .execution_options(synchronize_session=False)
        )

    def get(self, user_id: int, *, for_update: bool = False) -> User | None:
        if for_update:
            return self._locked(select(User).where(User.id == user_id))
        return self.session.get(User, user_id)

    def get_by_public_id(self, public_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        stmt = select(User).where(User.public_id == public_id)
        return self._locked(stmt) if for_update else self.session.scalars(stmt).first()

    def get_by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email)).first()

    def _locked(self, stmt: Select[User]) -> User | None:
        """The row, locked until commit and read afresh (populate_existing).

        SQLite ignores FOR UPDATE; a no-op write first takes its database write lock instead,
        held until commit just the same.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                update(User)
                .where(stmt.whereclause)  # type: ignore[arg-type]
                .values(version=User.version)
                .execution_options(synchronize_session=False)
            )
        locked = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(locked).first()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(User)) or 0

    def list_by_id(self, *, offset: int, limit: int) -> list[User]:
        return list(
            self.session.scalars(select(User).order_by(User.id).offset(offset).limit(limit))
        )

    def list_by_creation(
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
