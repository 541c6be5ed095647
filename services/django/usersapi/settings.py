"""Django settings, every value taken from the one pydantic-settings object (core/config.py)."""

from __future__ import annotations

from datetime import timedelta

from usersapi.core.config import SERVICE_DIR, get_settings
from usersapi.core.database import database_config
from usersapi.core.logging import logging_config

env = get_settings()

BASE_DIR = SERVICE_DIR
SECRET_KEY = env.signing_key()
# Always off: error pages are problem+json, never Django's technical HTML pages.
DEBUG = False
ALLOWED_HOSTS = [host.strip() for host in env.allowed_hosts.split(",") if host.strip()]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "usersapi.core",
    "usersapi.outbox",
    "usersapi.users",
    "usersapi.auth",
    "usersapi.health",
]
if env.cors_origin_list:
    INSTALLED_APPS.append("corsheaders")

MIDDLEWARE = [
    "usersapi.core.middleware.AccessLogMiddleware",  # the request line, timed from here
    "usersapi.core.middleware.HeaderLimitMiddleware",  # 431 before anything else (contract §3)
    "usersapi.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
]
# CORS (contract/README.md "CORS (decision)"): django-cors-headers with the contract's fixed lists,
# narrowed by core/cors.py. Installed only when origins are configured: otherwise OPTIONS stays a
# plain 405 and no answer varies on Origin (contract §1).
if env.cors_origin_list:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("usersapi.core.middleware.RequestContextMiddleware") + 1,
        "usersapi.core.cors.ContractCorsMiddleware",
    )
CORS_ALLOWED_ORIGINS = env.cors_origin_list
CORS_ALLOW_METHODS = ["DELETE", "GET", "PATCH", "POST"]
CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "If-Match", "X-Request-ID"]
CORS_EXPOSE_HEADERS = [
    "Deprecation", "ETag", "Link", "Location", "Retry-After", "Sunset", "X-Request-ID",
]  # fmt: skip
CORS_PREFLIGHT_MAX_AGE = 600
CORS_ALLOW_CREDENTIALS = False  # bearer tokens, not cookies

ROOT_URLCONF = "usersapi.urls"
WSGI_APPLICATION = "usersapi.wsgi.application"
APPEND_SLASH = False  # a trailing slash is another path: 404, never a redirect
DATA_UPLOAD_MAX_MEMORY_SIZE = 65536
# Django refuses more than 1,000 query parameters with a 400; the contract accepts (and ignores)
# at least that many.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100_000
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {
    "default": database_config(
        env.database_url, base_dir=SERVICE_DIR, pool_max_size=env.database_pool_max_size
    )
}

PASSWORD_HASHERS = ["usersapi.auth.hashers.Argon2idHasher"]

STATIC_URL = "static/"
STATIC_ROOT = SERVICE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # filled by collectstatic in the image
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the installed packages: no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

SECURE_CONTENT_TYPE_NOSNIFF = True
# Contract §9: no framework extras. Both policies apply to documents, not to JSON answers.
SECURE_CROSS_ORIGIN_OPENER_POLICY = None
SECURE_REFERRER_POLICY = None

LOGGING = logging_config(level=env.log_level, fmt=env.log_format)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["usersapi.auth.authentication.BearerAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["usersapi.auth.authentication.IsAuthenticatedUser"],
    "UNAUTHENTICATED_USER": None,
    "UNAUTHENTICATED_TOKEN": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],  # no browsable API
    "DEFAULT_PARSER_CLASSES": ["usersapi.core.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "usersapi.core.negotiation.JsonOnlyNegotiation",
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS is a 405 like any other unlisted method
    "EXCEPTION_HANDLER": "usersapi.core.problems.drf_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "usersapi.core.openapi.ContractAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNICODE_JSON": True,
    "COMPACT_JSON": True,
    "STRICT_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Users API",
    "VERSION": "2.0.0",
    "DESCRIPTION": "The users API (v1 deprecated, v2 current), served by Django REST framework.",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "usersapi.core.openapi.close_objects",
        "usersapi.core.openapi.add_response_headers",
        "usersapi.core.openapi.drop_min_length_beside_enum",
    ],
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "ENUM_NAME_OVERRIDES": {
        "Role": "usersapi.users.models.Role",
        "Status": "usersapi.users.models.Status",
        "CheckResult": ["ok", "error"],
        "HealthStatus": ["ok"],
    },
}

ACCESS_TOKEN_TTL = timedelta(seconds=env.access_token_ttl_seconds)
ADMIN_EMAIL = env.admin_email
ADMIN_PASSWORD = env.admin_password
MAIL_FROM = env.mail_from
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": env.smtp_host, "port": env.smtp_port, "timeout": 10},
    }
}

# Celery, read by usersapi/celery.py with namespace "CELERY".
CELERY_BROKER_URL = env.broker_url
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
if env.broker_url.startswith(("redis://", "rediss://")):
    # Publishing happens inside a request: a dead broker must fail fast, not hang it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# The outbox relay publishes a still-undelivered job again this long after it was published.
OUTBOX_REDELIVER_AFTER = timedelta(seconds=env.outbox_redeliver_after_seconds)
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "outbox.relay", "schedule": 5.0},
}
# One schedule file per instance (keyed by its port): beat's shelve file breaks when shared.
CELERY_BEAT_SCHEDULE_FILENAME = str(SERVICE_DIR / "var" / f"celerybeat-schedule-{env.port}")
