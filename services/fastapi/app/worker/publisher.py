"""The API's side of Celery: publish by task name, failing fast when the broker is down."""

from app.core.context import request_id_var
from app.worker.celery_app import celery_app


def publish_task(task_name: str, message_id: int, request_id: str | None) -> None:
    """Blocking; raises when the broker does not accept the message.

    kombu would otherwise retry the connection forever; one attempt (bounded by the broker
    timeouts in `celery_app`) is enough because the outbox relay publishes whatever fails here.
    """
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0)
        celery_app.send_task(
            task_name,
            args=[message_id],
            headers={"request_id": request_id or request_id_var.get()},
            connection=connection,
            retry=False,
        )
