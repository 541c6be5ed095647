"""One status line on a terminal while the benchmark runs; plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

log = logging.getLogger("bakeoff")


class Progress:
    """One status line on a terminal (rewritten in place); plain log lines otherwise."""

    def __init__(self, total_steps: int) -> None:
        self.total = max(1, total_steps)
        self.done = 0
        self.tty = sys.stderr.isatty()

    def step(self, label: str, seconds: float) -> Callable[[float], None]:
        self.done += 1
        prefix = f"[{self.done}/{self.total}] {label}"
        if not self.tty:
            log.info("%s (%.0fs)", prefix, seconds)

        def tick(elapsed: float) -> None:
            if self.tty:
                filled = min(20, int(20 * elapsed / max(seconds, 0.1)))
                sys.stderr.write(
                    f"\r{prefix} [{'#' * filled}{'.' * (20 - filled)}] "
                    f"{elapsed:4.0f}/{seconds:.0f}s "
                )
                sys.stderr.flush()

        return tick

    def result(self, text: str) -> None:
        if self.tty:
            sys.stderr.write(f"\r\033[K{text}\n")
            sys.stderr.flush()
        else:
            log.info("%s", text)
