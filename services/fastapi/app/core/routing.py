"""Path convertor for `{id}` segments: any single segment except the literal `me`.

Starlette would otherwise match `PATCH /users/me` against `/users/{id}`; the contract says the
literal route wins, so `/users/me` only ever answers GET (405 for anything else).
"""

from dataclasses import dataclass
from re import Pattern

from fastapi.routing import iter_route_contexts
from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Mount, Route, compile_path

from app.core.contract import allow_header


class UserIdConvertor(Convertor[str]):
    regex = "(?!me$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("user_id", UserIdConvertor())


@dataclass(frozen=True)
class RouteTemplate:
    regex: Pattern[str]
    methods: frozenset[str] | None  # None: any method (a mount)


def route_table(app: Starlette) -> list[RouteTemplate]:
    """Every route's path template and methods, flattened across included routers (cached)."""
    table: list[RouteTemplate] | None = getattr(app.state, "route_table", None)
    if table is None:
        table = []
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            path = context.path
            if path is None:
                continue
            if isinstance(route, Mount):
                table.append(RouteTemplate(compile_path(path + "/{path:path}")[0], None))
            elif isinstance(route, Route):
                table.append(RouteTemplate(compile_path(path)[0], frozenset(context.methods or ())))
        app.state.route_table = table
    return table


def allowed_methods(app: Starlette, path: str) -> str:
    """The contract's `Allow`: every method of the routes matching the path, sorted."""
    methods: set[str] = set()
    for template in route_table(app):
        if template.methods is not None and template.regex.match(path):
            methods |= template.methods
    return allow_header(methods)


def route_matches(app: Starlette, path: str, method: str) -> bool:
    """Whether routing will reach an endpoint (so neither 404 nor 405 answers first)."""
    return any(
        template.regex.match(path) and (template.methods is None or method in template.methods)
        for template in route_table(app)
    )
