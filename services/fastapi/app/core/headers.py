"""Headers that every response carries, whatever produced it."""

REQUEST_ID_HEADER = "X-Request-ID"
V1_HEADERS = {
    "Deprecation": "@1767225600",
    "Sunset": "Thu, 01 Jul 2027 00:00:00 GMT",
    "Link": '</api/v2/users>; rel="successor-version"',
}
TOKEN_PATHS = frozenset({"/api/v1/auth/token", "/api/v2/auth/token"})


def standard_headers(path: str, request_id: str) -> dict[str, str]:
    """Headers every response carries, whatever produced it."""
    headers = {REQUEST_ID_HEADER: request_id, "X-Content-Type-Options": "nosniff"}
    if path.startswith("/api/v1/"):
        headers.update(V1_HEADERS)
    if path in TOKEN_PATHS:
        headers["Cache-Control"] = "no-store"
    return headers
