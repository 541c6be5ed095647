"""A small Dockerfile reader: instructions with continuations joined, grouped into build stages."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper-case: FROM, RUN, COPY, USER, ...
    args: str
    line: int

    def exec_form(self) -> list[str] | None:
        """The JSON-array argv of a CMD/ENTRYPOINT/RUN, or None for the shell form."""
        try:
            value = json.loads(self.args)
        except json.JSONDecodeError:
            return None
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return value
        return None

    def flags_and_rest(self) -> tuple[list[str], str]:
        """Leading `--flag=value` options (COPY --from, HEALTHCHECK --interval) and the rest."""
        flags: list[str] = []
        rest = self.args
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            flags.append(flag)
            rest = rest.lstrip()
        return flags, rest


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None


def parse_instructions(text: str) -> list[Instruction]:
    instructions: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction are dropped by Docker
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        joined = " ".join(part for part in pending if part)
        keyword, _, args = joined.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        pending = []
    return instructions


def parse_stages(text: str) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in parse_instructions(text):
        if instruction.keyword == "FROM":
            _, rest = instruction.flags_and_rest()
            words = rest.split()
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(base=words[0] if words else "", name=name))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages


def read_stages(path: Path) -> list[Stage]:
    return parse_stages(path.read_text())


def env_keys(instruction: Instruction) -> list[str]:
    """Names set by an ENV or ARG line (`ENV A=1 B=2`, legacy `ENV A 1`, `ARG A[=x]`)."""
    words = shlex.split(instruction.args, posix=True)
    if not words:
        return []
    if instruction.keyword == "ENV" and "=" not in words[0]:
        return [words[0]]
    return [word.split("=", 1)[0] for word in words]


def env_values(instruction: Instruction) -> dict[str, str]:
    words = shlex.split(instruction.args, posix=True)
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words if "=" in word)
