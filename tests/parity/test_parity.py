"""Every service answers every corpus request identically (status, named headers, JSON body)."""

from __future__ import annotations

import difflib

import pytest

from tests.parity.conftest import (
    LOG_KEYS,
    REQUEST_LINE_KEYS,
    Recordings,
    canonical,
    failed,
    majority,
)
from tests.parity.corpus import STEPS, Step
from tests.parity.replay import describe


def test_corpus_is_large_and_deterministic() -> None:
    assert len(STEPS) >= 300
    assert len({s.id for s in STEPS}) == len(STEPS)
    from tests.parity.corpus import build

    assert [s.id for s in build()] == [s.id for s in STEPS]


def test_every_operation_is_exercised() -> None:
    seen = {(s.method, s.path.split("?")[0]) for s in STEPS}
    for method, path in (
        ("POST", "/api/v1/auth/token"),
        ("POST", "/api/v2/auth/token"),
        ("POST", "/api/v1/users"),
        ("POST", "/api/v2/users"),
        ("GET", "/api/v1/users"),
        ("GET", "/api/v2/users"),
        ("GET", "/api/v1/users/me"),
        ("GET", "/api/v2/users/me"),
        ("GET", "/api/v1/users/{ada.id}"),
        ("GET", "/api/v2/users/{ada.uuid}"),
        ("PATCH", "/api/v1/users/{alan.id}"),
        ("PATCH", "/api/v2/users/{edsger.uuid}"),
        ("DELETE", "/api/v1/users/{alan.id}"),
        ("DELETE", "/api/v2/users/{grace.uuid}"),
        ("GET", "/health"),
        ("GET", "/ready"),
    ):
        assert (method, path) in seen, (method, path)


@pytest.mark.parametrize("step", STEPS, ids=[s.id for s in STEPS])
def test_services_answer_identically(step: Step, recordings: Recordings) -> None:
    if len(recordings) < 2:
        pytest.fail(f"parity needs two services or more, got {sorted(recordings)}")
    responses = {name: recorded[step.id] for name, recorded in recordings.items()}
    broken = {name: value for name, value in responses.items() if failed(value)}
    if broken:
        pytest.fail(f"{describe(step)}: no answer from {canonical(broken)}", pytrace=False)
    if len({canonical(v) for v in responses.values()}) == 1:
        return
    top = majority(responses)
    reference = top if top is not None else canonical(next(iter(responses.values())))
    agreeing = [n for n, v in responses.items() if canonical(v) == reference]
    lines = [f"{describe(step)}", f"reference ({', '.join(agreeing)}):", reference]
    for name, value in responses.items():
        if name in agreeing:
            continue
        diff = difflib.unified_diff(
            reference.splitlines(),
            canonical(value).splitlines(),
            fromfile="reference",
            tofile=name,
            lineterm="",
            n=2,
        )
        lines += [f"--- {name} differs:", *diff]
    pytest.fail("\n".join(lines), pytrace=False)


def test_json_logs_share_one_schema(recordings: Recordings) -> None:
    """contract/README.md §8: with LOG_FORMAT=json every API line is JSON with the same keys, and
    each answered request has one request line with the same keys, in every service."""
    problems = []
    for name, recorded in recordings.items():
        keys = recorded.get("log keys")
        if keys is None:
            problems.append(f"{name}: no log recorded")
            continue
        if keys["not JSON"]:
            problems.append(f"{name}: lines that are not JSON, e.g. {keys['not JSON']}")
        if keys["request lines"] != [tuple(sorted(REQUEST_LINE_KEYS))]:
            problems.append(f"{name}: request lines with keys {keys['request lines']}")
        if any(set(k) != LOG_KEYS for k in keys["other lines"]):
            problems.append(f"{name}: other lines with keys {keys['other lines']}")
    assert not problems, "\n".join(problems)
