"""Outbox use-cases: enqueue a job in the caller's transaction, publish it after commit.

Jobs are published by Celery task name, so no feature module imports the worker's tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import current_app as celery_app
from sqlalchemy.orm import Session

from app.core.context import request_id_var
from app.extensions import db
from app.outbox.models import WELCOME_EMAIL, OutboxMessage
from app.outbox.repository import OutboxRepository

log = logging.getLogger(__name__)

TASK_NAMES = {WELCOME_EMAIL: "users.send_welcome_email"}
# A row the request's own publish did not reach the broker with is left this long to it.
RELAY_GRACE = timedelta(seconds=5)


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


def outbox_mark_delivered(*, session: Session, message: OutboxMessage) -> None:
    """The job is done: commit it on the row the task has held locked while sending."""
    message.delivered_at = datetime.now(UTC)
    if message.published_at is None:
        message.published_at = message.delivered_at
    session.commit()


def outbox_relay(*, redeliver_after: timedelta) -> int:
    """Publish rows whose immediate publish after commit did not reach the broker, then publish
    again rows still undelivered `redeliver_after` after they were published (the broker lost
    them); returns how many were published."""
    lost_before = datetime.now(UTC) - redeliver_after
    with db.sessionmaker() as session:
        outbox = OutboxRepository(session)
        pending = outbox.unpublished(older_than=RELAY_GRACE)
        lost = outbox.undelivered(published_before=lost_before)
    sent = 0
    for message in pending:
        with _request_id(message.request_id):
            sent += outbox_publish(
                outbox_id=message.id, kind=message.kind, request_id=message.request_id
            )
    for message in lost:
        with _request_id(message.request_id):
            if not outbox_publish(
                outbox_id=message.id, kind=message.kind, request_id=message.request_id, again=True
            ):
                break
            log.warning(
                "outbox %s published at %s is still undelivered (lost by the broker?); "
                "published it again",
                message.id,
                message.published_at,
            )
            sent += 1
    if sent:
        log.info("relayed %d outbox message(s)", sent)
    return sent


@contextmanager
def _request_id(request_id: str) -> Iterator[None]:
    """The job's log lines carry the id of the request that created it."""
    token = request_id_var.set(request_id)
    try:
        yield
    finally:
        request_id_var.reset(token)
