"""django-cors-headers narrowed to contract/README.md "CORS (decision)".

The library does the origin check, the echoed origin, `Vary: Origin` and the header lists (all
configured in settings.py); this subclass only changes what the contract answers differently.
"""

from __future__ import annotations

from corsheaders.conf import conf
from corsheaders.middleware import ACCESS_CONTROL_EXPOSE_HEADERS, CorsMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase

PREFLIGHT = "usersapi.cors_preflight"


class ContractCorsMiddleware(CorsMiddleware):
    def origin_found_in_white_lists(self, origin: str, url: object) -> bool:
        # `CORS_ORIGINS` lists exact origins; the library compares only scheme and host[:port].
        return origin in conf.CORS_ALLOWED_ORIGINS

    def check_preflight(self, request: HttpRequest) -> HttpResponseBase | None:
        response = super().check_preflight(request)
        origin = request.headers.get("origin", "")
        # Only a listed origin's OPTIONS is a preflight; any other is routed (404/405, §1).
        if response is None or not self.origin_found_in_white_lists(origin, None):
            return None
        request.META[PREFLIGHT] = True
        response.status_code = 204  # the library answers 200 with an empty body
        return response

    def add_response_headers(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        super().add_response_headers(request, response)
        if request.method == "OPTIONS" and not request.META.get(PREFLIGHT):
            # A routed OPTIONS is no preflight: the library would still grant the methods.
            for name in [n for n in response.headers if n.lower().startswith("access-control-")]:
                del response[name]
        elif request.META.get(PREFLIGHT):
            del response[ACCESS_CONTROL_EXPOSE_HEADERS]  # only for actual answers, not preflights
        return response
