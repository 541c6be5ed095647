"""Extensions are created here, unbound, and bound to the app in `create_app()`."""

from __future__ import annotations

from app.core.db import Database
from app.worker.celery import celery_init_app

db = Database()

__all__ = ["celery_init_app", "db"]
