from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import LoginFailure


class LoginFailureRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def recent(self, *, email: str, since: datetime) -> list[datetime]:
        stmt = (
            select(LoginFailure.failed_at)
            .where(LoginFailure.email == email, LoginFailure.failed_at > since)
            .order_by(LoginFailure.failed_at)
        )
        return list(self.session.scalars(stmt))

    def add(self, *, email: str, at: datetime) -> None:
        self.session.add(LoginFailure(email=email, failed_at=at))

    def prune(self, *, before: datetime) -> None:
        self.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < before))
