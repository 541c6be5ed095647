"""Celery, bound to the Flask app: tasks run inside an application context."""
