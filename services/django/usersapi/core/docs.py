"""/openapi.json and /docs (Swagger UI from drf-spectacular-sidecar, served locally)."""

from __future__ import annotations

from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from usersapi.core.views import StrictMethodsMixin


class JsonSchemaRenderer(OpenApiJsonRenderer):
    media_type = "application/json"


@extend_schema(exclude=True)
class OpenApiView(StrictMethodsMixin, SpectacularAPIView):
    renderer_classes = [JsonSchemaRenderer]
    authentication_classes = []
    permission_classes = []

    def initial(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.check_method(request)
        super().initial(request, *args, **kwargs)


@extend_schema(exclude=True)
class SwaggerView(StrictMethodsMixin, SpectacularSwaggerView):
    authentication_classes = []
    permission_classes = []

    def initial(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.check_method(request)
        super().initial(request, *args, **kwargs)
