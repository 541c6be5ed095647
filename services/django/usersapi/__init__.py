"""The users API on Django. The Celery app is loaded with Django so @shared_task binds to it."""

from usersapi.celery import app as celery_app

__all__ = ["celery_app"]
