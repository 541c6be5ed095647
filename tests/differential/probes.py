"""What the differential fuzzer sends: one request, exactly as it goes on the wire."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Probe:
    method: str
    # May hold placeholders ({ada.uuid}, {s1.etag}) that each service's replayer fills with the
    # ids that service gave; so do header values and a templated body.
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    templated_body: bool = False
    # A principal ("ada") or a forged token ("ada.expired"), spelled with `auth_format`.
    auth: str | None = None
    auth_format: str = "Bearer {token}"
    save: str | None = None
    login: str | None = None
    mutations: tuple[str, ...] = field(default=(), compare=False)

    def with_header(self, name: str, value: str) -> Probe:
        return replace(self, headers=(*self.headers, (name, value)))

    def without_header(self, name: str) -> Probe:
        kept = tuple((n, v) for n, v in self.headers if n.lower() != name.lower())
        return replace(self, headers=kept)

    def header(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)

    def noted(self, mutation: str) -> Probe:
        return replace(self, mutations=(*self.mutations, mutation))


def curl(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> str:
    """A ready-to-run curl command sending the same request (bash quoting for raw bytes)."""
    parts = ["curl", "-sS", "-i", "--path-as-is", "-X", method, shlex.quote(url)]
    for name, value in headers:
        if name.lower() in ("host", "content-length"):
            continue  # curl sends its own
        # curl sends `Name;` as a header with an empty value (`Name:` would remove it).
        parts += ["-H", shlex.quote(f"{name};" if value == "" else f"{name}: {value}")]
    if body:
        parts += ["--data-binary", _bash_bytes(body)]
    return " ".join(parts)


def _bash_bytes(data: bytes) -> str:
    if all(32 <= b < 127 and b != ord("'") for b in data):
        return f"'{data.decode()}'"
    escaped = "".join(
        chr(b) if 32 <= b < 127 and chr(b) not in "'\\" else f"\\x{b:02x}" for b in data
    )
    return f"$'{escaped}'"
