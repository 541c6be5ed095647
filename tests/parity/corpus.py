"""The parity corpus: a fixed sequence of requests covering every operation and every error path.

Steps run in order on a fresh database; later steps refer to users created earlier through
placeholders such as `{ada.id}`, `{ada.uuid}`, `{ada.etag}`, `{ada.token}` that the replayer fills
from what each service answered (`save=` stores a user's ids and ETag, `login=` stores a token).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_INT64 = 2**63 - 1
UNKNOWN_UUID = "0f0e0d0c-0b0a-4909-8807-060504030201"
PASSWORD = "correct-horse-battery"
ROUTES: dict[str, tuple[str, ...]] = {
    "/health": ("GET",),
    "/ready": ("GET",),
    "/api/v1/users": ("GET", "POST"),
    "/api/v2/users": ("GET", "POST"),
    "/api/v1/users/me": ("GET",),
    "/api/v2/users/me": ("GET",),
    "/api/v1/users/{ada.id}": ("DELETE", "GET", "PATCH"),
    "/api/v2/users/{ada.uuid}": ("DELETE", "GET", "PATCH"),
    "/api/v1/auth/token": ("POST",),
    "/api/v2/auth/token": ("POST",),
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
DEFAULT = "default"


@dataclass(frozen=True)
class Step:
    id: str
    method: str
    path: str
    json: Any = None
    raw: bytes | None = None
    form: list[tuple[str, str]] | None = None
    content_type: str | None = DEFAULT
    headers: dict[str, str] = field(default_factory=dict)
    # Sent after `headers`, repeats allowed (a dict cannot hold a field twice).
    extra_headers: tuple[tuple[str, str], ...] = ()
    auth: str | None = None  # a principal's name, or "<name>.<kind>" for a forged token
    save: str | None = None
    login: str | None = None


class Corpus:
    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, id_: str, method: str, path: str, **kw: Any) -> None:
        if any(s.id == id_ for s in self.steps):
            raise ValueError(f"duplicate step id {id_}")
        self.steps.append(Step(id_, method, path, **kw))


def _user_body(version: int, email: str, name: str, password: str = PASSWORD) -> dict[str, str]:
    key = "full_name" if version == 1 else "name"
    return {"email": email, key: name, "password": password}


def _token(email: str, password: str) -> list[tuple[str, str]]:
    return [("username", email), ("password", password)]


def _setup(c: Corpus) -> None:
    c.add(
        "setup-admin-login",
        "POST",
        "/api/v2/auth/token",
        form=_token("{admin.email}", "{admin.password}"),
        login="admin",
    )
    c.add("setup-v1-me-admin", "GET", "/api/v1/users/me", auth="admin", save="admin")
    c.add("setup-v2-me-admin", "GET", "/api/v2/users/me", auth="admin", save="admin")
    for name, version in (("ada", 1), ("grace", 2), ("alan", 1), ("edsger", 2)):
        c.add(
            f"setup-create-{name}",
            "POST",
            f"/api/v{version}/users",
            json=_user_body(version, f"{name}@example.com", name.title() + " Test"),
            save=name,
        )
        c.add(
            f"setup-login-{name}",
            "POST",
            "/api/v2/auth/token",
            form=_token(f"{name}@example.com", PASSWORD),
            login=name,
        )
        c.add(f"setup-v1-me-{name}", "GET", "/api/v1/users/me", auth=name, save=name)
        c.add(f"setup-v2-me-{name}", "GET", "/api/v2/users/me", auth=name, save=name)


def _operational(c: Corpus) -> None:
    c.add("health", "GET", "/health")
    c.add("ready", "GET", "/ready")
    c.add("health-with-query", "GET", "/health?x=1")
    c.add("request-id-echoed", "GET", "/health", headers={"X-Request-ID": "abc.DEF_123-xyz"})
    c.add("request-id-max-length", "GET", "/health", headers={"X-Request-ID": "r" * 128})
    c.add("request-id-too-long", "GET", "/health", headers={"X-Request-ID": "r" * 129})
    c.add("request-id-bad-chars", "GET", "/health", headers={"X-Request-ID": "bad id!"})
    c.add("request-id-on-error", "GET", "/nope", headers={"X-Request-ID": "trace-404"})
    c.add("request-id-on-v1", "GET", "/api/v1/users/me", headers={"X-Request-ID": "v1.trace"})


def _routing(c: Corpus) -> None:
    for path in (
        "/nope",
        "/api",
        "/api/v3/users",
        "/api/v1/users/",
        "/api/v2/users/",
        "/api/v1/users/me/",
        "/api/v2/users/{ada.uuid}/extra",
        "/API/v1/users",
        "/api/v1/auth/token/",
        "/health/",
        "/api/v1/users//",
        "/api/v2/auth",
    ):
        c.add(f"404 GET {path}", "GET", path)
    for path, allowed in ROUTES.items():
        for method in METHODS:
            if method in allowed:
                continue
            c.add(f"405 {method} {path}", method, path, auth="admin")


# The parity services run with CORS_ORIGINS set to this one origin (tests/parity/conftest.py).
CORS_ORIGIN = "https://app.example.com"
OTHER_ORIGIN = "https://evil.example.net"


def _cors(c: Corpus) -> None:
    """Preflights (OPTIONS + Origin + Access-Control-Request-Method) and simple requests with an
    Origin, from the allowed origin and from another one."""
    for path, method, headers in (
        ("/api/v2/users", "POST", "content-type"),
        ("/api/v1/users", "GET", "authorization"),
        ("/api/v2/users/{ada.uuid}", "PATCH", "authorization,content-type,if-match"),
        ("/api/v1/users/{ada.id}", "DELETE", "authorization"),
        ("/api/v2/users/me", "GET", "authorization,x-request-id"),
        ("/api/v2/auth/token", "POST", "content-type"),
        ("/health", "GET", ""),
    ):
        for label, origin in (("allowed", CORS_ORIGIN), ("other", OTHER_ORIGIN)):
            request = {"Origin": origin, "Access-Control-Request-Method": method}
            if headers:
                request["Access-Control-Request-Headers"] = headers
            c.add(f"cors preflight {label} {method} {path}", "OPTIONS", path, headers=request)
    c.add(
        "cors preflight unknown path",
        "OPTIONS",
        "/nope",
        headers={"Origin": CORS_ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    c.add(
        "cors options without request method",
        "OPTIONS",
        "/api/v2/users",
        headers={"Origin": CORS_ORIGIN},
    )
    for label, origin in (("allowed", CORS_ORIGIN), ("other", OTHER_ORIGIN)):
        c.add(f"cors simple {label} health", "GET", "/health", headers={"Origin": origin})
        c.add(
            f"cors simple {label} me",
            "GET",
            "/api/v2/users/me",
            auth="admin",
            headers={"Origin": origin},
        )
        c.add(f"cors simple {label} 401", "GET", "/api/v1/users/me", headers={"Origin": origin})
        c.add(
            f"cors simple {label} create",
            "POST",
            "/api/v2/users",
            json={"email": "not-an-email", "name": "x", "password": "short"},
            headers={"Origin": origin},
        )


def _token_endpoint(c: Corpus, v: int) -> None:
    p = f"/api/v{v}/auth/token"
    t = f"v{v}-token"
    c.add(f"{t}-ok", "POST", p, form=_token("alan@example.com", PASSWORD))
    c.add(
        f"{t}-ok-grant-type",
        "POST",
        p,
        form=[("grant_type", "password"), *_token("alan@example.com", PASSWORD)],
    )
    c.add(
        f"{t}-ok-extras",
        "POST",
        p,
        form=[
            *_token("alan@example.com", PASSWORD),
            ("scope", ""),
            ("client_id", "x"),
            ("client_secret", "y"),
        ],
    )
    c.add(f"{t}-normalised-email", "POST", p, form=_token("  ALAN@Example.COM ", PASSWORD))
    c.add(f"{t}-wrong-password", "POST", p, form=_token("alan@example.com", "wrong-password"))
    c.add(f"{t}-unknown-email", "POST", p, form=_token(f"nobody{v}@example.com", PASSWORD))
    c.add(f"{t}-not-an-email", "POST", p, form=_token("not an email", PASSWORD))
    c.add(f"{t}-missing-password", "POST", p, form=[("username", "alan@example.com")])
    c.add(f"{t}-missing-both", "POST", p, form=[("scope", "x")])
    c.add(
        f"{t}-bad-grant",
        "POST",
        p,
        form=[("grant_type", "client_credentials"), *_token("alan@example.com", PASSWORD)],
    )
    c.add(
        f"{t}-unknown-field",
        "POST",
        p,
        form=[*_token("alan@example.com", PASSWORD), ("role", "admin")],
    )
    c.add(
        f"{t}-duplicate-key",
        "POST",
        p,
        form=[*_token("alan@example.com", PASSWORD), ("password", PASSWORD)],
    )
    c.add(f"{t}-json-body", "POST", p, json={"username": "alan@example.com", "password": PASSWORD})
    c.add(
        f"{t}-no-content-type",
        "POST",
        p,
        raw=b"username=alan%40example.com&password=x",
        content_type=None,
    )
    c.add(
        f"{t}-charset-ok",
        "POST",
        p,
        raw=b"username=alan%40example.com&password=" + PASSWORD.encode(),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    c.add(
        f"{t}-uppercase-media-type",
        "POST",
        p,
        raw=b"username=alan%40example.com&password=" + PASSWORD.encode(),
        content_type="APPLICATION/X-WWW-FORM-URLENCODED",
    )
    c.add(
        f"{t}-too-large",
        "POST",
        p,
        raw=b"username=" + b"a" * 65_600,
        content_type="application/x-www-form-urlencoded",
    )
    c.add(
        f"{t}-invalid-utf8",
        "POST",
        p,
        raw=b"username=\xff\xfe&password=x",
        content_type="application/x-www-form-urlencoded",
    )


def _create(c: Corpus, v: int) -> None:
    p = f"/api/v{v}/users"
    n = "full_name" if v == 1 else "name"
    t = f"v{v}-create"

    def body(**over: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "email": f"c{v}-{len(c.steps)}@example.com",
            n: "Some One",
            "password": PASSWORD,
        }
        for k, val in over.items():
            if val is _DROP:
                base.pop(k)
            else:
                base[k] = val
        return base

    c.add(f"{t}-ok", "POST", p, json=body(email=f"ok{v}@example.com"))
    c.add(f"{t}-duplicate", "POST", p, json=body(email=f"ok{v}@example.com"))
    c.add(f"{t}-duplicate-case-and-space", "POST", p, json=body(email=f"  OK{v}@Example.com "))
    c.add(
        f"{t}-unicode-name",
        "POST",
        p,
        json=body(email=f"uni{v}@example.com", **{n: "Zoë Ünïcødé 名前 🚀 مرحبا"}),
    )
    c.add(
        f"{t}-combining-name",
        "POST",
        p,
        json=body(email=f"comb{v}@example.com", **{n: "e\u0301le\u0300ve"}),
    )
    c.add(
        f"{t}-name-trimmed",
        "POST",
        p,
        json=body(email=f"trim{v}@example.com", **{n: "  \u2003Padded Name\u3000 "}),
    )
    c.add(f"{t}-name-100", "POST", p, json=body(email=f"n100-{v}@example.com", **{n: "x" * 100}))
    c.add(
        f"{t}-name-100-emoji",
        "POST",
        p,
        json=body(email=f"e100-{v}@example.com", **{n: "😀" * 100}),
    )
    c.add(f"{t}-name-101", "POST", p, json=body(**{n: "x" * 101}))
    c.add(f"{t}-name-blank", "POST", p, json=body(**{n: "   "}))
    c.add(f"{t}-name-empty", "POST", p, json=body(**{n: ""}))
    c.add(f"{t}-name-control", "POST", p, json=body(**{n: "Bad\u0007Name"}))
    c.add(f"{t}-name-c1-control", "POST", p, json=body(**{n: "Bad\u0085Name"}))
    c.add(f"{t}-name-newline", "POST", p, json=body(**{n: "Two\nLines"}))
    c.add(f"{t}-name-number", "POST", p, json=body(**{n: 42}))
    c.add(
        f"{t}-email-254",
        "POST",
        p,
        json=body(email="a" * 64 + "@" + ".".join(["b" * 61] * 3) + ".cc"),
    )
    c.add(
        f"{t}-email-255",
        "POST",
        p,
        json=body(email="a" * 64 + "@" + ".".join(["b" * 61] * 3) + ".ccc"),
    )
    c.add(f"{t}-email-invalid", "POST", p, json=body(email="not-an-email"))
    c.add(f"{t}-email-two-at", "POST", p, json=body(email="a@b@example.com"))
    c.add(f"{t}-email-non-ascii", "POST", p, json=body(email="zoë@example.com"))
    c.add(f"{t}-email-spaces-inside", "POST", p, json=body(email="a b@example.com"))
    c.add(f"{t}-email-null", "POST", p, json=body(email=None))
    c.add(f"{t}-email-bool", "POST", p, json=body(email=True))
    c.add(f"{t}-email-list", "POST", p, json=body(email=["a@example.com"]))
    c.add(f"{t}-password-7", "POST", p, json=body(password="1234567"))
    c.add(
        f"{t}-password-8", "POST", p, json=body(email=f"pw8-{v}@example.com", password="12345678")
    )
    c.add(
        f"{t}-password-128",
        "POST",
        p,
        json=body(email=f"pw128-{v}@example.com", password="p" * 128),
    )
    c.add(f"{t}-password-129", "POST", p, json=body(password="p" * 129))
    c.add(
        f"{t}-password-spaces",
        "POST",
        p,
        json=body(email=f"pwsp-{v}@example.com", password="        "),
    )
    c.add(f"{t}-password-int", "POST", p, json=body(password=12345678))
    c.add(f"{t}-missing-email", "POST", p, json=body(email=_DROP))
    c.add(f"{t}-missing-all", "POST", p, json={})
    c.add(f"{t}-unknown-is-admin", "POST", p, json=body(is_admin=True))
    c.add(f"{t}-unknown-role-id", "POST", p, json=body(role="admin", id=1))
    c.add(
        f"{t}-many-errors",
        "POST",
        p,
        json={"email": "bad", n: "", "password": "short", "zzz": 1, "aaa": 2},
    )
    c.add(f"{t}-body-list", "POST", p, json=[1, 2])
    c.add(f"{t}-body-string", "POST", p, json="text")
    c.add(f"{t}-body-null", "POST", p, raw=b"null")
    c.add(f"{t}-invalid-json", "POST", p, raw=b'{"email": ')
    c.add(f"{t}-trailing-garbage", "POST", p, raw=b'{"email": "x@example.com"} x')
    c.add(f"{t}-empty-body", "POST", p, raw=b"")
    c.add(f"{t}-invalid-utf8", "POST", p, raw=b'{"email": "\xff"}')
    c.add(
        f"{t}-lone-surrogate",
        "POST",
        p,
        raw=b'{"email": "s@example.com", "'
        + n.encode()
        + b'": "\\ud800", "password": "'
        + PASSWORD.encode()
        + b'"}',
    )
    c.add(f"{t}-huge-int", "POST", p, json=body(**{n: 10**40}))
    c.add(f"{t}-too-large", "POST", p, json=body(**{n: "x" * 70_000}))
    c.add(f"{t}-text-plain", "POST", p, json=body(), content_type="text/plain")
    c.add(f"{t}-no-content-type", "POST", p, raw=b"{}", content_type=None)
    c.add(
        f"{t}-form-content-type",
        "POST",
        p,
        raw=b"email=a",
        content_type="application/x-www-form-urlencoded",
    )
    c.add(
        f"{t}-charset-ok",
        "POST",
        p,
        json=body(email=f"cs{v}@example.com"),
        content_type="application/json; charset=utf-8",
    )
    c.add(
        f"{t}-uppercase-media-type",
        "POST",
        p,
        json=body(email=f"up{v}@example.com"),
        content_type="Application/JSON",
    )
    c.add(f"{t}-with-bearer", "POST", p, json=body(email=f"auth{v}@example.com"), auth="ada")


class _Drop:
    pass


_DROP = _Drop()


def _auth_failures(c: Corpus) -> None:
    for v in (1, 2):
        p = f"/api/v{v}/users/me"
        c.add(f"v{v}-me-no-token", "GET", p)
        c.add(f"v{v}-me-basic", "GET", p, headers={"Authorization": "Basic YTpi"})
        c.add(f"v{v}-me-empty-bearer", "GET", p, headers={"Authorization": "Bearer "})
        c.add(f"v{v}-me-garbage", "GET", p, headers={"Authorization": "Bearer not.a.jwt"})
        c.add(f"v{v}-me-lowercase-scheme", "GET", p, auth="ada.lowercase")
        for kind in ("expired", "wrongkey", "algnone", "tampered", "nojti", "noexp", "hs512"):
            c.add(f"v{v}-me-{kind}", "GET", p, auth=f"ada.{kind}")
        c.add(f"v{v}-me-ok", "GET", p, auth="ada")
        c.add(f"v{v}-me-admin", "GET", p, auth="admin")
        c.add(f"v{v}-me-unknown-sub", "GET", p, auth="ada.unknownsub")


def _read(c: Corpus) -> None:
    c.add("v1-get-self", "GET", "/api/v1/users/{ada.id}", auth="ada")
    c.add("v1-get-by-admin", "GET", "/api/v1/users/{ada.id}", auth="admin")
    c.add("v1-get-other-as-user", "GET", "/api/v1/users/{alan.id}", auth="ada")
    c.add("v1-get-admin-as-user", "GET", "/api/v1/users/{admin.id}", auth="ada")
    c.add("v1-get-unauthenticated", "GET", "/api/v1/users/{ada.id}")
    for label, raw in (
        ("zero", "0"),
        ("leading-zero", "01"),
        ("negative", "-1"),
        ("alpha", "abc"),
        ("max-int64", str(MAX_INT64)),
        ("over-int64", str(MAX_INT64 + 1)),
        ("huge", "9" * 30),
        ("float", "1.0"),
        ("exp", "1e3"),
        ("plus", "+1"),
        ("uuid", UNKNOWN_UUID),
        ("space", "%201"),
        ("unicode-digit", "%D9%A1"),
    ):
        c.add(f"v1-get-id-{label}", "GET", f"/api/v1/users/{raw}", auth="admin")
    c.add("v2-get-self", "GET", "/api/v2/users/{ada.uuid}", auth="ada")
    c.add("v2-get-by-admin", "GET", "/api/v2/users/{grace.uuid}", auth="admin")
    c.add("v2-get-other-as-user", "GET", "/api/v2/users/{grace.uuid}", auth="ada")
    c.add("v2-get-unauthenticated", "GET", "/api/v2/users/{ada.uuid}")
    for label, raw in (
        ("unknown", UNKNOWN_UUID),
        ("uppercase", UNKNOWN_UUID.upper()),
        ("no-dashes", UNKNOWN_UUID.replace("-", "")),
        ("braces", f"%7B{UNKNOWN_UUID}%7D"),
        ("int", "1"),
        ("short", UNKNOWN_UUID[:-1]),
        ("garbage", "xyz"),
    ):
        c.add(f"v2-get-id-{label}", "GET", f"/api/v2/users/{raw}", auth="admin")


def _list_v1(c: Corpus) -> None:
    p = "/api/v1/users"
    c.add("v1-list-default", "GET", p, auth="admin")
    for q in (
        "offset=0&limit=1",
        "offset=2&limit=3",
        "offset=1000",
        "limit=100",
        "limit=1",
        f"offset={MAX_INT64}",
        "unknown=1",
        "limit=5&offset=1&x=y",
    ):
        c.add(f"v1-list-{q}", "GET", f"{p}?{q}", auth="admin")
    for q in (
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "limit=",
        "limit=%205",
        "limit=1&limit=2",
        "offset=-1",
        f"offset={MAX_INT64 + 1}",
        "offset=x&limit=0",
        "limit=99999999999999999999999",
        "offset=%2B1",
    ):
        c.add(f"v1-list-bad-{q}", "GET", f"{p}?{q}", auth="admin")
    c.add("v1-list-as-user", "GET", p, auth="ada")
    c.add("v1-list-as-user-bad-limit", "GET", f"{p}?limit=0", auth="ada")
    c.add("v1-list-unauthenticated", "GET", p)


def _list_v2(c: Corpus) -> None:
    p = "/api/v2/users"
    c.add("v2-list-default", "GET", p, auth="admin")
    c.add("v2-list-page1", "GET", f"{p}?limit=2", auth="admin", save="page")
    c.add("v2-list-page2", "GET", f"{p}?limit=2&cursor={{page.cursor}}", auth="admin", save="page")
    c.add("v2-list-page3", "GET", f"{p}?limit=2&cursor={{page.cursor}}", auth="admin", save="page")
    c.add("v2-list-page-last", "GET", f"{p}?limit=100&cursor={{page.cursor}}", auth="admin")
    for q in (
        "status=active",
        "status=disabled",
        "email=grace@example.com",
        "email=%20GRACE@Example.com%20",
        "email=nobody@example.com",
        "limit=100",
        "limit=1",
        "unknown=1",
        "status=active&limit=3",
    ):
        c.add(f"v2-list-{q}", "GET", f"{p}?{q}", auth="admin")
    for q in (
        "status=bogus",
        "status=ACTIVE",
        "limit=0",
        "limit=101",
        "limit=x",
        "limit=1&limit=1",
        "email=" + "e" * 255,
        "cursor=" + "A" * 201,
        "cursor=not-base64!",
        "cursor=AAAA",
        "cursor=Zm9vfGJhcg",
        "cursor=",
        "status=bogus&limit=0",
        "cursor=x&limit=0",
        "status=active&status=active",
    ):
        c.add(f"v2-list-bad-{q[:60]}", "GET", f"{p}?{q}", auth="admin")
    c.add("v2-list-as-user", "GET", p, auth="ada")
    c.add("v2-list-as-user-bad-cursor", "GET", f"{p}?cursor=AAAA", auth="ada")
    c.add("v2-list-unauthenticated", "GET", p)


def _update_v1(c: Corpus) -> None:
    p = "/api/v1/users/{alan.id}"
    c.add("v1-patch-empty", "PATCH", p, json={}, auth="alan")
    c.add("v1-patch-name", "PATCH", p, json={"full_name": "  Alan M. Turing "}, auth="alan")
    c.add("v1-patch-email", "PATCH", p, json={"email": "Alan.Turing@Example.com"}, auth="alan")
    c.add("v1-patch-email-taken", "PATCH", p, json={"email": "ada@example.com"}, auth="alan")
    c.add("v1-patch-email-own", "PATCH", p, json={"email": "alan.turing@example.com"}, auth="alan")
    c.add("v1-patch-password", "PATCH", p, json={"password": "new-password-123"}, auth="alan")
    c.add(
        "v1-login-new-password",
        "POST",
        "/api/v1/auth/token",
        form=_token("alan.turing@example.com", "new-password-123"),
        login="alan",
    )
    c.add("v1-patch-is-active-self", "PATCH", p, json={"is_active": True}, auth="alan")
    c.add("v1-patch-is-active-null", "PATCH", p, json={"is_active": None}, auth="admin")
    c.add("v1-patch-is-active-string", "PATCH", p, json={"is_active": "false"}, auth="admin")
    c.add("v1-patch-is-active-int", "PATCH", p, json={"is_active": 0}, auth="admin")
    c.add("v1-patch-unknown", "PATCH", p, json={"is_admin": True}, auth="alan")
    c.add("v1-patch-name-too-long", "PATCH", p, json={"full_name": "y" * 101}, auth="alan")
    c.add("v1-patch-name-null", "PATCH", p, json={"full_name": None}, auth="alan")
    c.add("v1-patch-errors", "PATCH", p, json={"email": "x", "password": "1"}, auth="alan")
    c.add("v1-patch-not-object", "PATCH", p, json=[], auth="alan")
    c.add("v1-patch-invalid-json", "PATCH", p, raw=b"{", auth="alan")
    c.add("v1-patch-text-plain", "PATCH", p, json={}, content_type="text/plain", auth="alan")
    c.add("v1-patch-too-large", "PATCH", p, json={"full_name": "z" * 66_000}, auth="alan")
    c.add("v1-patch-other-as-user", "PATCH", "/api/v1/users/{ada.id}", json={}, auth="alan")
    c.add(
        "v1-patch-other-admin-field-as-user",
        "PATCH",
        "/api/v1/users/{ada.id}",
        json={"is_active": False},
        auth="alan",
    )
    c.add("v1-patch-unknown-id", "PATCH", f"/api/v1/users/{MAX_INT64}", json={}, auth="admin")
    c.add("v1-patch-unauthenticated", "PATCH", p, json={})
    c.add("v1-patch-by-admin", "PATCH", p, json={"full_name": "Alan Turing"}, auth="admin")
    c.add("v1-disable-by-admin", "PATCH", p, json={"is_active": False}, auth="admin")
    c.add("v1-disabled-token", "GET", "/api/v1/users/me", auth="alan")
    c.add(
        "v1-disabled-login",
        "POST",
        "/api/v1/auth/token",
        form=_token("alan.turing@example.com", "new-password-123"),
    )
    c.add("v2-list-disabled", "GET", "/api/v2/users?status=disabled", auth="admin")
    c.add("v1-enable-by-admin", "PATCH", p, json={"is_active": True}, auth="admin")
    c.add("v1-enabled-token", "GET", "/api/v1/users/me", auth="alan")


def _update_v2(c: Corpus) -> None:
    p = "/api/v2/users/{edsger.uuid}"
    c.add("v2-patch-no-if-match", "PATCH", p, json={"name": "E"}, auth="edsger")
    c.add("v2-patch-empty-no-if-match", "PATCH", p, json={}, auth="edsger")
    c.add(
        "v2-patch-stale",
        "PATCH",
        p,
        json={"name": "E"},
        auth="edsger",
        headers={"If-Match": '"{edsger.uuid}.99"'},
    )
    c.add(
        "v2-patch-weak",
        "PATCH",
        p,
        json={"name": "E"},
        auth="edsger",
        headers={"If-Match": "W/{edsger.etag}"},
    )
    c.add(
        "v2-patch-unquoted",
        "PATCH",
        p,
        json={"name": "E"},
        auth="edsger",
        headers={"If-Match": "{edsger.uuid}.1"},
    )
    c.add(
        "v2-patch-ok",
        "PATCH",
        p,
        json={"name": " Edsger W. Dijkstra "},
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
        save="edsger",
    )
    c.add(
        "v2-patch-old-etag",
        "PATCH",
        p,
        json={"name": "Again"},
        auth="edsger",
        headers={"If-Match": '"{edsger.uuid}.1"'},
    )
    c.add(
        "v2-patch-empty-same-etag",
        "PATCH",
        p,
        json={},
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
        save="edsger",
    )
    c.add(
        "v2-patch-same-values-bumps",
        "PATCH",
        p,
        json={"name": "Edsger W. Dijkstra"},
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
        save="edsger",
    )
    c.add(
        "v2-patch-star",
        "PATCH",
        p,
        json={"email": "EWD@example.com"},
        auth="edsger",
        headers={"If-Match": "*"},
        save="edsger",
    )
    c.add(
        "v2-patch-list",
        "PATCH",
        p,
        json={"password": "another-pass-1"},
        auth="edsger",
        headers={"If-Match": '"nope", {edsger.etag}'},
        save="edsger",
    )
    c.add(
        "v2-patch-status-as-user",
        "PATCH",
        p,
        json={"status": "active"},
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
    )
    c.add("v2-patch-role-as-user-no-if-match", "PATCH", p, json={"role": "admin"}, auth="edsger")
    c.add("v2-patch-invalid-no-if-match", "PATCH", p, json={"name": ""}, auth="edsger")
    c.add(
        "v2-patch-unknown-field",
        "PATCH",
        p,
        json={"id": "x"},
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
    )
    c.add(
        "v2-patch-bad-enum",
        "PATCH",
        p,
        json={"status": "gone", "role": "root"},
        auth="admin",
        headers={"If-Match": "{edsger.etag}"},
    )
    c.add(
        "v2-patch-email-taken",
        "PATCH",
        p,
        json={"email": "grace@example.com"},
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
    )
    c.add(
        "v2-patch-taken-and-stale",
        "PATCH",
        p,
        json={"email": "grace@example.com"},
        auth="edsger",
        headers={"If-Match": '"stale"'},
    )
    c.add(
        "v2-patch-other-as-user",
        "PATCH",
        "/api/v2/users/{grace.uuid}",
        json={},
        auth="edsger",
        headers={"If-Match": "*"},
    )
    c.add("v2-patch-unknown-id", "PATCH", f"/api/v2/users/{UNKNOWN_UUID}", json={}, auth="admin")
    c.add(
        "v2-patch-if-match-too-long",
        "PATCH",
        p,
        json={},
        auth="edsger",
        headers={"If-Match": '"' + "x" * 300 + '"'},
    )
    c.add("v2-patch-text-plain", "PATCH", p, json={}, content_type="text/plain", auth="edsger")
    c.add(
        "v2-patch-invalid-json",
        "PATCH",
        p,
        raw=b"[",
        auth="edsger",
        headers={"If-Match": "{edsger.etag}"},
    )
    c.add("v2-patch-unauthenticated", "PATCH", p, json={}, headers={"If-Match": "*"})
    c.add(
        "v2-promote-by-admin",
        "PATCH",
        p,
        json={"role": "admin", "status": "active"},
        auth="admin",
        headers={"If-Match": "{edsger.etag}"},
        save="edsger",
    )
    c.add("v2-promoted-lists", "GET", "/api/v2/users?limit=1", auth="edsger")
    c.add("v1-promoted-is-admin", "GET", "/api/v1/users/me", auth="edsger")
    c.add(
        "v2-disable-by-admin",
        "PATCH",
        "/api/v2/users/{grace.uuid}",
        json={"status": "disabled"},
        auth="admin",
        headers={"If-Match": "{grace.etag}"},
        save="grace",
    )
    c.add("v2-disabled-token", "GET", "/api/v2/users/me", auth="grace")
    c.add("v1-view-disabled", "GET", "/api/v1/users/{grace.id}", auth="admin")


def _delete(c: Corpus) -> None:
    c.add("v1-delete-other-as-user", "DELETE", "/api/v1/users/{ada.id}", auth="alan")
    c.add("v1-delete-unknown", "DELETE", f"/api/v1/users/{MAX_INT64}", auth="admin")
    c.add("v1-delete-malformed", "DELETE", "/api/v1/users/abc", auth="admin")
    c.add("v1-delete-unauthenticated", "DELETE", "/api/v1/users/{alan.id}")
    c.add("v1-delete-self", "DELETE", "/api/v1/users/{alan.id}", auth="alan")
    c.add("v1-deleted-token", "GET", "/api/v1/users/me", auth="alan")
    c.add("v1-delete-again", "DELETE", "/api/v1/users/{alan.id}", auth="admin")
    c.add("v1-get-deleted", "GET", "/api/v1/users/{alan.id}", auth="admin")
    c.add("v2-delete-other-as-user", "DELETE", "/api/v2/users/{edsger.uuid}", auth="ada")
    c.add("v2-delete-by-admin", "DELETE", "/api/v2/users/{grace.uuid}", auth="admin")
    c.add("v2-get-deleted", "GET", "/api/v2/users/{grace.uuid}", auth="admin")
    c.add("v2-delete-unknown", "DELETE", f"/api/v2/users/{UNKNOWN_UUID}", auth="admin")
    c.add("v2-delete-with-body", "DELETE", "/api/v2/users/{grace.uuid}", auth="admin", json={})
    c.add(
        "v1-reregister-deleted",
        "POST",
        "/api/v1/users",
        json=_user_body(1, "alan.turing@example.com", "Alan Again"),
    )
    c.add(
        "v2-reregister-deleted",
        "POST",
        "/api/v2/users",
        json=_user_body(2, "grace@example.com", "Grace Again"),
    )
    c.add("v1-list-final", "GET", "/api/v1/users?limit=100", auth="admin")
    c.add("v2-list-final", "GET", "/api/v2/users?limit=100", auth="admin")


def _rate_limit(c: Corpus) -> None:
    email = "ada@example.com"
    for i in range(1, 11):
        c.add(f"rate-fail-{i}", "POST", "/api/v2/auth/token", form=_token(email, f"wrong-{i}"))
    c.add("rate-limited-wrong", "POST", "/api/v2/auth/token", form=_token(email, "wrong-11"))
    c.add("rate-limited-right", "POST", "/api/v1/auth/token", form=_token(email, PASSWORD))
    c.add(
        "rate-limited-normalised",
        "POST",
        "/api/v2/auth/token",
        form=_token(" ADA@example.com", "x"),
    )
    c.add(
        "rate-limit-other-email",
        "POST",
        "/api/v2/auth/token",
        form=_token("ewd@example.com", "another-pass-1"),
    )


def _edges(c: Corpus) -> None:
    """Contract §9: each case a divergence the differential fuzzer once found."""
    c.add("edge-if-match-empty", "PATCH", "/api/v2/users/{grace.uuid}",
          json={"name": "G"}, headers={"If-Match": ""}, auth="grace")  # fmt: skip
    for path in ("/api/v2/users/%6de", "/api/v2/users/%6De", "/api/v1/user%73/me",
                 "/%61pi/v2/users/{ada.uuid}", "/api/v2/users/me%3Fx=1"):  # fmt: skip
        c.add(f"edge-percent-path {path}", "GET", path, auth="ada")
    for path in ("//api/v2/users/me", "/api/./v2/users/me", "/api/v2/x/../users/me",
                 "/api/v2/users/%C3%28", "/api/v2/users/%2e%2e"):  # fmt: skip
        c.add(f"edge-unnormalised-path {path}", "GET", path, auth="ada")
    c.add("edge-double-slash-token", "POST", "//api/v1/auth/token",
          form=_token("ada@example.com", PASSWORD))  # fmt: skip
    c.add("edge-repeated-content-type", "POST", "/api/v2/users",
          json=_user_body(2, "twice@example.com", "Twice"),
          extra_headers=(("Content-Type", "text/plain"),))  # fmt: skip
    c.add("edge-repeated-content-type-same", "GET", "/health", content_type=None,
          extra_headers=(("Content-Type", "application/json"),) * 2)  # fmt: skip
    for depth in (32, 33):
        nested = "[" * (depth - 1) + "]" * (depth - 1)
        c.add(
            f"edge-json-depth-{depth}",
            "POST",
            "/api/v2/users",
            raw=b'{"email": "deep@example.com", "name": ' + nested.encode() + b"}",
        )
    c.add("edge-repeated-host", "GET", "/health", extra_headers=(("Host", "example.com"),))
    c.add(
        "edge-repeated-request-id",
        "GET",
        "/health",
        headers={"X-Request-ID": "abc"},
        extra_headers=(("X-Request-ID", "abc"),),
    )
    c.add(
        "edge-repeated-authorization",
        "GET",
        "/api/v2/users/me",
        auth="ada",
        extra_headers=(("Authorization", "Bearer {ada.token}"),),
    )
    c.add(
        "edge-repeated-if-match",
        "PATCH",
        "/api/v2/users/{grace.uuid}",
        auth="grace",
        json={"name": "Grace Twice"},
        headers={"If-Match": '"stale"'},
        extra_headers=(("If-Match", "{grace.etag}"),),
        save="grace",
    )
    c.add("edge-origin-case", "GET", "/health", headers={"Origin": "https://APP.example.com"})


def build() -> list[Step]:
    c = Corpus()
    _setup(c)
    _operational(c)
    _routing(c)
    _cors(c)
    _token_endpoint(c, 1)
    _token_endpoint(c, 2)
    _create(c, 1)
    _create(c, 2)
    _auth_failures(c)
    _read(c)
    _edges(c)
    _list_v1(c)
    _list_v2(c)
    _update_v1(c)
    _update_v2(c)
    _delete(c)
    _rate_limit(c)
    return c.steps


STEPS = build()
