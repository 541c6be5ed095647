from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.db import models


class LoginFailureManager(models.Manager["LoginFailure"]):
    """The login limit's queries (the repository of the SQLAlchemy services)."""

    def recent(self, email: str, since: datetime, *, limit: int) -> list[datetime]:
        """When the last `limit` failures after `since` happened, newest first."""
        failures = self.filter(email=email, failed_at__gt=since).order_by("-failed_at")
        return list(failures.values_list("failed_at", flat=True)[:limit])

    def add(self, email: str, when: datetime) -> None:
        self.create(email=email, failed_at=when)

    def prune(self, email: str, before: datetime) -> None:
        """Rows at or before the window's start are never read again."""
        self.filter(email=email, failed_at__lte=before).delete()


class LoginFailure(models.Model):
    """Failed logins, counted per email over a sliding minute (shared by every process)."""

    id = models.BigAutoField(primary_key=True)
    email = models.CharField(max_length=254)
    failed_at = models.DateTimeField()

    objects: ClassVar[LoginFailureManager] = LoginFailureManager()

    class Meta:
        db_table = "login_failures"
        indexes = [models.Index(fields=["email", "failed_at"], name="login_failures_email_at")]

    def __str__(self) -> str:
        return f"login failure {self.email} at {self.failed_at}"
