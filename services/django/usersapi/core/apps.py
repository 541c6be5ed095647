from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "usersapi.core"
    label = "core"

    def ready(self) -> None:
        from usersapi.core import openapi  # noqa: F401  registers the OpenAPI auth extension
