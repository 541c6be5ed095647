"""Generated requests replayed on all four services: any difference in a normalised answer fails.

Each request goes to the four in turn, so their states move in step. A difference fails the run
with the request as a curl command and each service's answer; hypothesis shrinks it first.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from tests.differential.conftest import Fleet, fuzz_requests
from tests.differential.generate import probes
from tests.differential.probes import Probe
from tests.differential.replay import LoginWindow, answer, as_curl
from tests.differential.sequences import LABEL, sequences
from tests.parity.conftest import canonical

SEQUENCE_LENGTH = 6
# A quarter of the budget goes to sequences, the rest to single requests.
SINGLE_SHARE = 0.75
SLOW = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]


def budget(share: float, per_example: int) -> tuple[int, int]:
    """(examples to ask hypothesis for, requests that must have been sent)."""
    total = fuzz_requests()
    if total == 0:
        return 10**9, 0
    wanted = int(total * share)
    return -(-wanted // per_example), wanted


# BAKEOFF_FUZZ_COLLECT=1 (hunting): record every difference, one per kind, and fail at the end.
COLLECTED: dict[str, str] = {}


POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="differential")
LOGINS = LoginWindow()


def replay(fleet: Fleet, probe: Probe) -> None:
    # The four answer side by side: each service's state depends only on its own requests.
    LOGINS.wait(probe)
    answers = dict(zip(fleet, POOL.map(lambda r: answer(r, probe), fleet.values()), strict=True))
    LOGINS.record(probe)
    texts = {name: canonical(a) for name, a in answers.items()}
    broken = [name for name, a in answers.items() if "transport_error" in a]
    if len(set(texts.values())) == 1 and not broken:
        return
    message = report(fleet, probe, answers, texts)
    if not os.environ.get("BAKEOFF_FUZZ_COLLECT"):
        raise AssertionError(message)
    kind = message.splitlines()[0] + "".join(
        line for line in message.splitlines() if line.startswith(("-  ", "+  "))
    )
    COLLECTED.setdefault(kind, message)


def report(fleet: Fleet, probe: Probe, answers: dict[str, Any], texts: dict[str, str]) -> str:
    first = next(iter(fleet))
    groups: dict[str, list[str]] = {}
    for name, text in texts.items():
        groups.setdefault(text, []).append(name)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))
    lines = [
        f"the four services answered differently ({' | '.join(', '.join(g) for _, g in ranked)})",
        f"request: {probe.method} {probe.path} (mutations: {', '.join(probe.mutations) or 'none'})",
        f"as curl, against {first}:",
        "  " + as_curl(fleet[first], probe),
    ]
    reference = ranked[0][0]
    for text, names in ranked:
        lines.append(f"--- {', '.join(names)}:")
        if text is reference:
            lines += ["  " + line for line in text.splitlines()]
        else:
            lines += difflib.unified_diff(
                reference.splitlines(),
                text.splitlines(),
                "first group",
                ", ".join(names),
                lineterm="",
                n=1,
            )
    return "\n".join(lines)


def fuzzing(examples: int, seed: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Hypothesis for a run against live services: seeded, no deadline, nothing stored."""

    def configure(test: Callable[..., None]) -> Callable[..., None]:
        configured = settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=SLOW,
            phases=[Phase.generate, Phase.shrink],
            print_blob=True,
        )(test)
        return hypothesis_seed(seed)(configured)

    return configure


def test_single_requests_agree(fleet: Fleet, seed: int) -> None:
    examples, required = budget(SINGLE_SHARE, 1)
    sent = 0

    @fuzzing(examples, seed)
    @given(probe=probes())
    def check(probe: Probe) -> None:
        nonlocal sent
        sent += 1
        replay(fleet, probe)

    check()
    assert sent >= required, f"only {sent} of {required} generated requests were replayed"


def test_sequences_agree(fleet: Fleet, seed: int) -> None:
    examples, required = budget(1 - SINGLE_SHARE, SEQUENCE_LENGTH)
    sent = 0

    @fuzzing(examples, seed + 1)
    @given(steps=sequences())
    def check(steps: list[Probe]) -> None:
        nonlocal sent
        for replayer in fleet.values():
            replayer.state.pop(LABEL, None)
        for probe in steps:
            sent += 1
            replay(fleet, probe)

    check()
    assert sent >= required, f"only {sent} of {required} sequence requests were replayed"


def test_report_shows_a_ready_curl() -> None:
    from tests.differential.probes import curl

    command = curl(
        "PATCH", "http://127.0.0.1:1/api/v2/users/x", [("If-Match", "")], b'{"a":"\xff"}'
    )
    assert command == (
        "curl -sS -i --path-as-is -X PATCH http://127.0.0.1:1/api/v2/users/x -H 'If-Match;' "
        '--data-binary $\'{"a":"\\xff"}\''
    ), json.dumps(command)


def test_nothing_was_collected() -> None:
    """Last: in collecting mode, the run fails here with every kind of difference it saw."""
    assert not COLLECTED, f"{len(COLLECTED)} kinds of difference:\n\n" + "\n\n".join(
        COLLECTED.values()
    )
