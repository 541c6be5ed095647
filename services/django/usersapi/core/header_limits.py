"""Header floods (contract §3): the limits and the 431 problem, shared by gunicorn and Django.

Standard library only: the gunicorn worker class imports this in the server's master process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MAX_FIELDS = 100
MAX_BYTES = 16384  # name + value + CRLF of every field
STATUS = 431
REASON = "Request Header Fields Too Large"
PROBLEM_CONTENT_TYPE = "application/problem+json"
# WSGI keeps these two out of the HTTP_ prefix; their names are as long as the header's.
UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")


def problem_body(request_id: str) -> bytes:
    """No routed request, so no path to name: `instance` is empty."""
    return json.dumps(
        {
            "type": "/problems/header-fields-too-large",
            "title": "Request header fields too large",
            "status": STATUS,
            "detail": f"Request header section exceeds {MAX_FIELDS} fields or {MAX_BYTES} bytes",
            "instance": "",
            "request_id": request_id,
        }
    ).encode()


def environ_section(environ: Mapping[str, Any]) -> tuple[int, int]:
    """Fields and bytes (name + value + CRLF each) of the header section in a WSGI environ."""
    fields = size = 0
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name_length = len(key) - len("HTTP_")
        elif key in UNPREFIXED:
            name_length = len(key)
        else:
            continue
        fields += 1
        size += name_length + len(value) + 2
    return fields, size
