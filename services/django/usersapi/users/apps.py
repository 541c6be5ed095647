from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "usersapi.users"
    label = "users"

    def ready(self) -> None:
        from usersapi.users import tasks  # noqa: F401  registers the welcome-email publisher
