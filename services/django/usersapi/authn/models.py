from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    """Failed logins, counted per email over a sliding minute (shared by every process)."""

    id = models.BigAutoField(primary_key=True)
    email = models.CharField(max_length=254)
    failed_at = models.DateTimeField()

    class Meta:
        db_table = "login_failures"
        indexes = [models.Index(fields=["email", "failed_at"], name="login_failures_email_at")]

    def __str__(self) -> str:
        return f"login failure {self.email} at {self.failed_at}"
