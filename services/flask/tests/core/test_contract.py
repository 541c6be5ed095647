"""core/contract.py: the contract's exact values, framework-free."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from app.core import contract
from app.core.contract import allow_header, header_flood_body, header_flood_headers


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    return names | {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }


def test_contract_and_errors_import_only_the_standard_library_and_each_other() -> None:
    core = Path(contract.__file__).parent
    for name in ("contract.py", "errors.py", "gunicorn_worker.py"):
        for module in imported_modules(core / name):
            top = module.split(".")[0]
            assert (
                top in sys.stdlib_module_names
                or module in {"__future__", "app.core.errors", "app.core.contract"}
                or top == "gunicorn"
            ), (name, module)


def test_the_431_pieces() -> None:
    body = header_flood_body("rid-1")
    assert json.loads(body) == {
        "type": "/problems/header-fields-too-large",
        "title": "Request header fields too large",
        "status": 431,
        "detail": "Request header section exceeds 100 fields or 16384 bytes",
        "instance": "",
        "request_id": "rid-1",
    }
    assert dict(header_flood_headers("rid-1", body)) == {
        "Content-Type": "application/problem+json",
        "Content-Length": str(len(body)),
        "X-Request-ID": "rid-1",
        "X-Content-Type-Options": "nosniff",
    }


def test_allow_never_lists_head_or_options() -> None:
    assert allow_header(["post", "GET", "HEAD", "OPTIONS", "GET"]) == "GET, POST"
