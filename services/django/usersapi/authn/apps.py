from django.apps import AppConfig


class AuthnConfig(AppConfig):
    name = "usersapi.authn"
    label = "authn"
