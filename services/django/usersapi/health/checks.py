"""Readiness probes: the database and the broker, each answering quickly or counted as down."""

from __future__ import annotations

import logging

from django.db import connection

from usersapi.celery import app as celery_app

log = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        log.warning("readiness: database check failed", exc_info=True)
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
        return True
    except Exception:
        log.warning("readiness: broker check failed", exc_info=True)
        return False
