"""The WSGI entry point gunicorn serves: `app.wsgi:app`."""

from __future__ import annotations

from app import create_app
from app.users.bootstrap import admin_bootstrap

app = create_app()
with app.app_context():
    admin_bootstrap()
