"""gunicorn settings: pre-forked processes (WEB_CONCURRENCY) each running a small thread pool.

gthread suits a Django app doing blocking ORM calls: threads overlap database and argon2 waits,
processes use the cores. SIGTERM stops accepting, lets in-flight requests finish
(graceful_timeout), then exits.
"""

import os

wsgi_app = "usersapi.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
# gthread, answering gunicorn's own header-limit refusals with the contract's 431 problem+json.
worker_class = "usersapi.core.gunicorn_worker.ProblemThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
bind = [f"0.0.0.0:{os.environ.get('PORT', '8002')}"]
timeout = 30
graceful_timeout = 20
keepalive = 5
# Bound what the server itself accepts before Django sees the request.
limit_request_line = 8190
# Header section (contract §3): more than 100 fields is a 431 here; so is one field over 16 KiB,
# the contract's bound for all fields together, whose sum HeaderLimitMiddleware checks.
limit_request_fields = 100
limit_request_field_size = 16384
# The request line comes from usersapi.core.middleware.AccessLogMiddleware (contract §8).
accesslog = None
errorlog = "-"
# gunicorn's own lines in the service's format (JSON with LOG_FORMAT=json, contract §8).
logger_class = "usersapi.core.logging.GunicornLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's runtime control socket defaults to one path per user; several services on one host
# would fight over it, and nothing here uses it.
control_socket_disable = True
