from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "usersapi.outbox"
    label = "outbox"
