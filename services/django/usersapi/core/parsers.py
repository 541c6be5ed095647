"""Strict body parsers: what does not decode exactly is a 400, never a guess."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import parse_qsl

from django.http import QueryDict
from rest_framework.parsers import BaseParser

from usersapi.core.contract import MAX_JSON_DEPTH, json_depth
from usersapi.core.errors import MalformedRequest

BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _reject_constant(name: str) -> Any:
    raise ValueError(name)  # NaN / Infinity are not JSON


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read()
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
            # A lone surrogate (\ud800) decodes in Python but is not Unicode text.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (UnicodeError, ValueError, RecursionError) as exc:
            raise MalformedRequest() from exc  # RecursionError: nested past the parser's depth
        if json_depth(data) > MAX_JSON_DEPTH:
            raise MalformedRequest()  # contract §3: one fixed bound, whatever json could manage
        return data


class StrictFormParser(BaseParser):
    media_type = "application/x-www-form-urlencoded"

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> QueryDict:
        raw = stream.read()
        try:
            if BAD_PERCENT.search(raw):
                raise ValueError("invalid percent-encoding")
            pairs = parse_qsl(
                raw.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                encoding="utf-8",
                errors="strict",
            )
        except (UnicodeError, ValueError) as exc:
            raise MalformedRequest() from exc
        form = QueryDict(mutable=True)
        for key, value in pairs:
            form.appendlist(key, value)
        form._mutable = False
        return form
