"""WSGI entry point for gunicorn (see gunicorn.conf.py)."""

from __future__ import annotations

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "usersapi.settings")

from usersapi.core.middleware import BoundedBodyMiddleware

application = BoundedBodyMiddleware(get_wsgi_application())


def _bootstrap_admin() -> None:
    from usersapi.users.bootstrap import admin_bootstrap

    try:
        admin_bootstrap()
    except Exception:
        logging.getLogger(__name__).exception("admin bootstrap failed; continuing without it")


_bootstrap_admin()
