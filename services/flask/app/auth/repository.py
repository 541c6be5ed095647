from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import LoginFailure


class LoginFailureRepository:
    """Failed logins per email; pruned per email, in the failing login's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def recent(self, email: str, since: datetime) -> list[datetime]:
        stmt = (
            select(LoginFailure.failed_at)
            .where(LoginFailure.email == email, LoginFailure.failed_at > since)
            .order_by(LoginFailure.failed_at)
        )
        return list(self.session.scalars(stmt))

    def add(self, email: str, when: datetime) -> None:
        self.session.add(LoginFailure(email=email, failed_at=when))

    def prune(self, email: str, before: datetime) -> None:
        self.session.execute(
            delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.failed_at < before)
        )
