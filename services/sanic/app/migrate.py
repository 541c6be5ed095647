"""The manifest's `migrate`: Alembic to head, then the broker's queue declared once.

kombu's SQLAlchemy transport (the embedded broker) creates its queue row on first use with a
check-then-insert, so an API and a worker starting together can race on it; declaring it here,
before either starts, removes that race. For Redis this is a harmless no-op declaration.
"""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config

from app.core.config import SERVICE_DIR, get_settings
from app.core.logging import configure_logging
from app.worker.celery_app import create_celery

log = logging.getLogger("app.migrate")


def prepare_broker() -> None:
    celery = create_celery(get_settings())
    with celery.connection_for_write() as conn:
        queue = conn.SimpleQueue(celery.conf.task_default_queue)
        queue.close()


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    command.upgrade(Config(str(SERVICE_DIR / "alembic.ini")), "head")
    prepare_broker()
    log.info("database at head, broker queue declared")


if __name__ == "__main__":
    main()
