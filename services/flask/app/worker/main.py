"""The worker's entry point: `celery -A app.worker.main worker --beat`."""

from __future__ import annotations

from celery import Celery

from app import create_app

flask_app = create_app()
celery_app: Celery = flask_app.extensions["celery"]
