from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "usersapi.users"
    label = "users"
