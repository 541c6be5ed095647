from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "usersapi.health"
    label = "health"
