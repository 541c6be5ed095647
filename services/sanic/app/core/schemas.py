"""Schemas shared by every feature: problem details and health."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import MISSING, BaseModel, ConfigDict, Field


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckResult(StrEnum):
    OK = "ok"
    ERROR = "error"


class Checks(Closed):
    database: CheckResult
    broker: CheckResult


class Health(Closed):
    status: Literal["ok"]


class Readiness(Closed):
    status: Literal["ok"]
    checks: Checks


class ErrorLocation(StrEnum):
    BODY = "body"
    QUERY = "query"
    PATH = "path"
    HEADER = "header"


class ErrorCode(StrEnum):
    REQUIRED = "required"
    INVALID = "invalid"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_FIELD = "unknown_field"


class FieldError(Closed):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    location: ErrorLocation = Field(alias="in")
    field: str = Field(description="Dotted path inside `in`; empty for the whole body.")
    code: ErrorCode
    message: str = Field(description="Free text for humans; not part of parity.")


class Problem(Closed):
    """RFC 9457 problem details. `detail` never contains exception text."""

    type: str = Field(pattern="^/problems/[a-z-]+$")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str = Field(description="The request path, without the query string.")
    request_id: str
    errors: list[FieldError] | MISSING = MISSING
    checks: Checks | MISSING = MISSING


class ValidationProblem(Problem):
    errors: list[FieldError] = Field(min_length=1)
