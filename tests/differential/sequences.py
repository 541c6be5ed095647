"""Stateful sequences driven the same way on the four: create -> token -> patch -> get -> delete."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import strategies as st

from tests.differential.generate import MUTATIONS
from tests.differential.probes import Probe

LABEL = "seq"  # the sequence's user; the test forgets it before each sequence
PASSWORD = "correct-horse-battery"
JSON = (("Content-Type", "application/json"),)
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


@st.composite
def _maybe_mutated(draw: st.DrawFn, probe: Probe) -> Probe:
    if draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(sorted(MUTATIONS)))
        probe = draw(MUTATIONS[name](probe)).noted(name)
    return probe


@st.composite
def sequences(draw: st.DrawFn) -> list[Probe]:
    version = draw(st.sampled_from(["v1", "v2"]))
    name_key = "full_name" if version == "v1" else "name"
    tag = draw(st.text("abcdef0123456789", min_size=8, max_size=8))
    email = f"seq-{tag}@example.com"
    ref = f"{{{LABEL}.id}}" if version == "v1" else f"{{{LABEL}.uuid}}"
    base = f"/api/{version}"
    create = Probe(
        "POST",
        f"{base}/users",
        JSON,
        json.dumps({"email": email, name_key: "Seq Uence", "password": PASSWORD}).encode(),
        save=LABEL,
    )
    token = Probe(
        "POST",
        f"{base}/auth/token",
        FORM,
        urlencode(
            {
                "username": draw(st.sampled_from([email, email.upper(), f" {email} "])),
                "password": PASSWORD,
            }
        ).encode(),
        login=LABEL,
    )
    changes = draw(
        st.dictionaries(
            st.sampled_from([name_key, "email", "password", "status", "role", "is_active"]),
            st.sampled_from(
                [
                    "Renamed",
                    f"new-{tag}@example.com",
                    "another-long-password",
                    "disabled",
                    "active",
                    "admin",
                    True,
                    None,
                    "",
                ]
            ),
            max_size=3,
        )
    )
    patch_headers: tuple[tuple[str, str], ...] = JSON
    if version == "v2":
        if_match = draw(st.sampled_from([f"{{{LABEL}.etag}}", '"stale"', "*", "", None]))
        if if_match is not None:
            patch_headers = (*JSON, ("If-Match", if_match))
    actor = st.sampled_from([LABEL, LABEL, "admin", "ada"])
    patch = Probe(
        "PATCH",
        f"{base}/users/{ref}",
        patch_headers,
        json.dumps(changes).encode(),
        auth=draw(actor),
        save=LABEL,
    )
    get = Probe("GET", f"{base}/users/{ref}", auth=draw(actor), save=LABEL)
    delete = Probe("DELETE", f"{base}/users/{ref}", auth=draw(actor))
    after = Probe("GET", f"{base}/users/{ref}", auth="admin")
    steps = [create, token, patch, get, delete, after]
    return [draw(_maybe_mutated(step)) for step in steps]
