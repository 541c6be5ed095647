from __future__ import annotations

import logging

from celery import shared_task

from usersapi.outbox.services import outbox_relay

log = logging.getLogger(__name__)


@shared_task(name="outbox.relay", ignore_result=True)
def relay_outbox() -> int:
    """Celery beat, every few seconds: publish outbox rows the API could not hand to the broker."""
    published = outbox_relay()
    if published:
        log.info("outbox relay published %s job(s)", published)
    return published
