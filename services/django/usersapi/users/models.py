from __future__ import annotations

import uuid

from django.db import models


class Role(models.TextChoices):
    USER = "user"
    ADMIN = "admin"


class Status(models.TextChoices):
    ACTIVE = "active"
    DISABLED = "disabled"


class User(models.Model):
    """One row per user; v1 exposes `id`, v2 exposes `public_id`."""

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    email = models.CharField(max_length=254, unique=True)  # stored normalised (lower-case)
    full_name = models.CharField(max_length=100)
    password_hash = models.CharField(max_length=255)
    role = models.CharField(max_length=16, choices=Role, default=Role.USER)
    status = models.CharField(max_length=16, choices=Status, default=Status.ACTIVE)
    version = models.IntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "users"
        indexes = [models.Index(fields=["created_at", "public_id"], name="users_created_public")]

    def __str__(self) -> str:
        return f"user {self.id}"

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_authenticated(self) -> bool:
        return True  # DRF's request.user protocol

    @property
    def etag(self) -> str:
        return f'"{self.public_id}.{self.version}"'
