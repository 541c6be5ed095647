"""The users API on Flask: `create_app()` is the application factory."""

from __future__ import annotations

import signal
from typing import Any

import click
from flask_openapi3 import Info
from werkzeug.serving import WSGIRequestHandler

from app import extensions
from app.core import contract, http, problems
from app.core.config import Settings, get_settings
from app.core.header_limits import HeaderLimitMiddleware
from app.core.logging import AccessLog, configure_logging
from app.core.openapi import UsersOpenAPI, security_schemes
from app.core.validation import validation_error_callback


def create_app(settings: Settings | None = None, **config: Any) -> UsersOpenAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    app = UsersOpenAPI(
        __name__,
        info=Info(title="Users API", version="2.0.0"),
        security_schemes=security_schemes(),
        validation_error_callback=validation_error_callback,
        doc_ui=False,
        static_folder=None,
    )
    app.config.from_mapping(
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=contract.MAX_BODY_BYTES,
        PROVIDE_AUTOMATIC_OPTIONS=False,  # OPTIONS is a 405 like any other method (contract §1)
        **config,
    )

    problems.init_app(app)

    # The contract's order of checks (§1), as before-request hooks, in this order:
    http.init_app(app)  # request id; CORS preflight (204); 404, 405 (HEAD too), 413, 415
    from app.auth.deps import authenticate

    app.before_request(authenticate)  # 401
    app.before_request(http.parse_body)  # 400; then the views' models validate (422)

    from app.auth.api import token_v1, token_v2
    from app.docs.api import docs
    from app.health.api import health_api
    from app.users.api_v1 import users_v1
    from app.users.api_v2 import users_v2
    from app.users.bootstrap import admin_bootstrap
    from app.users.cli import create_admin_command

    app.register_api(health_api)
    app.register_api(token_v1)
    app.register_api(users_v1)
    app.register_api(token_v2)
    app.register_api(users_v2)
    app.register_blueprint(docs)
    extensions.init_app(app, settings)  # database, Celery, CORS
    app.cli.add_command(create_admin_command)
    # Outermost WSGI middleware: one access line per answer (§8), the 431 of a header flood
    # (answered before Flask routes anything, §3) included.
    app.wsgi_app = AccessLog(HeaderLimitMiddleware(app.wsgi_app))  # type: ignore[method-assign]

    if _loaded_by_flask_run():
        # `flask --app app run` serves this factory's app (gunicorn serves app.wsgi): the same
        # start-up admin bootstrap. Werkzeug stops on KeyboardInterrupt; a server started in the
        # background by a script inherits SIGINT ignored, so restore Python's handler.
        with app.app_context():
            admin_bootstrap()
        # The dev server's own access line: the `access` logger already writes the one line.
        WSGIRequestHandler.log_request = _no_server_access_line  # type: ignore[method-assign,assignment]
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    return app


def _no_server_access_line(*_args: object) -> None:
    return None


def _loaded_by_flask_run() -> bool:
    """True when the Flask CLI's `run` command is loading the app (not `create-admin`, tests)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.command.name == "run"
