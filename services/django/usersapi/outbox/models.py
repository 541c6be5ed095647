from __future__ import annotations

from django.db import models
from django.db.models import Q


class OutboxMessage(models.Model):
    """A job written in the same transaction as the change that needs it (never lost)."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=64)
    payload = models.JSONField()
    request_id = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "outbox"
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(published_at__isnull=True),
                name="outbox_unpublished",
            )
        ]

    def __str__(self) -> str:
        return f"outbox {self.id} ({self.kind})"
