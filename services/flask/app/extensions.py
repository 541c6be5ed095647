"""The extensions: created here, unbound, and bound to the app in one place (`init_app`)."""

from __future__ import annotations

from flask import Flask
from flask_sqlalchemy_lite import SQLAlchemy

from app.core import cors
from app.core.config import Settings
from app.core.db import SESSION_OPTIONS, engine_config, prepare_engine
from app.worker.celery_app import celery_init_app

db = SQLAlchemy(session_options=SESSION_OPTIONS)


def init_app(app: Flask, settings: Settings) -> None:
    app.config.setdefault("SQLALCHEMY_ENGINES", {"default": engine_config(settings.database_url)})
    db.init_app(app)
    with app.app_context():
        prepare_engine(db.engine)
    celery_init_app(app)
    # After the pipeline's hooks (app/core/http.py), so its headers are set first.
    cors.init_app(app, settings.cors_origin_list)


__all__ = ["db", "init_app"]
