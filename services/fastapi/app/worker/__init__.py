"""`celery -A app.worker worker --beat` finds the application here."""

from app.worker.celery_app import celery_app

celery = celery_app

__all__ = ["celery", "celery_app"]
