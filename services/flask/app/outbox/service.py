"""Outbox use-cases: enqueue a job in the caller's transaction, publish it after commit.

Jobs are published by Celery task name, so no feature module imports the worker's tasks.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app as celery_app
from sqlalchemy.orm import Session

from app.extensions import db
from app.outbox.models import WELCOME_EMAIL, OutboxMessage
from app.outbox.repository import OutboxRepository

log = logging.getLogger(__name__)

TASK_NAMES = {WELCOME_EMAIL: "users.send_welcome_email"}


def outbox_enqueue(
    *, session: Session, kind: str, payload: dict[str, Any], request_id: str
) -> OutboxMessage:
    """Add the job to the caller's transaction; it is published only once that commits."""
    return OutboxRepository(session).add(kind=kind, payload=payload, request_id=request_id)


def publish(outbox_id: int, kind: str, request_id: str) -> bool:
    """Hand one outbox row to the broker; False (and logged) when the broker is unreachable."""
    task_name = TASK_NAMES.get(kind)
    if task_name is None:
        log.error("unknown outbox kind %r for %s", kind, outbox_id)
        return False
    try:
        celery_app.send_task(
            task_name,
            args=(outbox_id,),
            kwargs={"request_id": request_id},
            retry=False,
            ignore_result=True,  # what the task's own apply_async sends (task_ignore_result)
        )
    except Exception:
        log.warning("broker unavailable; outbox %s left for the relay", outbox_id, exc_info=True)
        return False
    return True


def outbox_publish(*, outbox_id: int, kind: str, request_id: str, again: bool = False) -> bool:
    """Publish, then record it; `again` (a row published before) restarts its redelivery clock."""
    if not publish(outbox_id, kind, request_id):
        return False
    with db.sessionmaker() as session:
        outbox = OutboxRepository(session)
        if again:
            outbox.mark_republished(outbox_id)
        else:
            outbox.mark_published(outbox_id)
        session.commit()
    return True


def outbox_mark_republished(*, outbox_id: int) -> None:
    """The job is in the broker again (a Celery retry): restart its redelivery clock."""
    with db.sessionmaker() as session:
        OutboxRepository(session).mark_republished(outbox_id)
        session.commit()
