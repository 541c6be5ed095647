"""The base of every endpoint: the contract's order of checks (§1) before the handler runs."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.views import APIView

from usersapi.core import errors
from usersapi.core.contract import MAX_BODY_BYTES, allow_header
from usersapi.core.middleware import BODY_TOO_LARGE
from usersapi.core.negotiation import media_type_of
from usersapi.core.parsers import StrictFormParser, StrictJSONParser

ROUTE_METHODS = ("get", "post", "patch", "put", "delete")
BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})


class StrictMethodsMixin:
    """Only the handlers a view defines are allowed: no implicit HEAD or OPTIONS (contract §1)."""

    @property
    def allowed_methods(self) -> list[str]:
        return sorted(method.upper() for method in ROUTE_METHODS if hasattr(self, method))

    @property
    def default_response_headers(self) -> dict[str, str]:
        return {}  # DRF would add `Allow` to every response

    def check_method(self, request: Request) -> None:
        if request.method not in self.allowed_methods:
            raise errors.MethodNotAllowed(allow_header(self.allowed_methods))


class ApiView(StrictMethodsMixin, APIView):
    """405, 413, 415, 401, 400 in that order; then the handler validates (422) and acts."""

    parser_classes: ClassVar[list[type[Any]]] = [StrictJSONParser]  # type: ignore[misc]
    unsupported_media_type: ClassVar[type[errors.UnsupportedMediaType]] = (
        errors.UnsupportedMediaType
    )
    # Methods that need no bearer token: no authenticator runs, so a stray header is ignored.
    public_methods: ClassVar[frozenset[str]] = frozenset()
    # Whether an empty body parses (a form with no fields) or is a 400 (JSON).
    empty_body_is_valid: ClassVar[bool] = False

    def _is_public(self) -> bool:
        return self.request is not None and self.request.method in self.public_methods

    def get_authenticators(self) -> list[Any]:
        return [] if self._is_public() else super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        return [] if self._is_public() else list(super().get_permissions())

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.check_method(request)
        self.check_body_size(request)
        takes_body = request.method in BODY_METHODS
        if takes_body and (request.body or request.META.get("CONTENT_TYPE")):
            # Neither a body nor a Content-Type skips this: the parse step then sees "empty".
            self.check_content_type(request)
        super().initial(request, *args, **kwargs)  # authentication and permissions: 401
        if takes_body:
            if not request.body and not self.empty_body_is_valid:
                raise errors.MalformedRequest()
            _ = request.data  # parse now: 400 before validation

    def check_body_size(self, request: Request) -> None:
        if request.META.get(BODY_TOO_LARGE):
            raise errors.PayloadTooLarge()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            raise errors.PayloadTooLarge()

    def check_content_type(self, request: Request) -> None:
        accepted = {parser.media_type for parser in self.get_parsers()}
        if media_type_of(request.content_type) not in accepted:
            raise self.unsupported_media_type()


class FormView(ApiView):
    """The token endpoints: an empty form is a form with no fields (422 `required`, not 400)."""

    parser_classes = [StrictFormParser]  # type: ignore[misc]
    unsupported_media_type = errors.UnsupportedFormMediaType
    empty_body_is_valid = True
