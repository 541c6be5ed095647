"""gunicorn: pre-forked processes (WEB_CONCURRENCY), each with a small thread pool (gthread).

Flask views are blocking (SQLAlchemy sync, argon2), so the gthread worker gives each process a
few threads for concurrency without monkey-patching; SIGTERM drains in-flight requests for
`graceful_timeout` seconds before the workers exit.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
# gthread, answering gunicorn's own header-limit refusals with the contract's 431 problem+json.
worker_class = "app.core.gunicorn_worker.ProblemThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 10000
max_requests_jitter = 1000
# The contract has no 414: long query strings reach the app (gunicorn still caps a line at 1 MiB).
limit_request_line = 0
# Header section (contract §3): more than 100 fields is a 431 here; so is one field over 16 KiB,
# the contract's bound for all fields together, whose sum app.core.header_limits checks.
limit_request_fields = 100
limit_request_field_size = 16384
accesslog = None  # the app's `access` line is the one request line (app/core/logging.py)
errorlog = "-"
# gunicorn's own lines in the service's format (JSON with LOG_FORMAT=json, contract §8).
logger_class = "app.core.logging.GunicornLogger"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's runtime control socket defaults to one path per user; several services side by side
# (`bakeoff up`) would fight over it, and nothing here uses it.
control_socket_disable = True
