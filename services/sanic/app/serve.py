"""Production entry point: Sanic's own multi-process server (uvloop), workers from WEB_CONCURRENCY.

Sanic's manager process forks WEB_CONCURRENCY workers, each building the app from `create_app`;
SIGTERM drains in-flight requests for up to GRACEFUL_SHUTDOWN_TIMEOUT seconds.
"""

from __future__ import annotations

import argparse
import logging

from pydantic import ValidationError
from sanic import Sanic
from sanic.worker.loader import AppLoader

from app.core.config import get_settings

log = logging.getLogger("app")


def main() -> None:
    try:
        settings = get_settings()  # fails fast (naming SECRET_KEY) before any worker starts
    except ValidationError as exc:
        raise SystemExit(f"users-api-sanic: invalid settings: {exc}") from None
    from app.main import create_app  # imported after the check: importing it reads settings

    parser = argparse.ArgumentParser(description="Run the users API (Sanic).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args()

    loader = AppLoader(factory=create_app)
    app = loader.load()
    app.prepare(
        host=args.host,
        port=args.port,
        workers=settings.web_concurrency,
        access_log=False,  # the `access` logger writes the one request line
        motd=False,
        single_process=False,
    )
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
