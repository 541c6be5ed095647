from __future__ import annotations

import logging

from celery import shared_task

from usersapi.core.outbox import outbox_relay as relay

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outbox_relay() -> int:
    """Celery beat, every few seconds: publish outbox rows the API could not hand to the broker."""
    published = relay()
    if published:
        log.info("outbox relay published %s job(s)", published)
    return published
