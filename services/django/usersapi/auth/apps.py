from django.apps import AppConfig


class AuthConfig(AppConfig):
    name = "usersapi.auth"
    # The package was `authn`: the label keeps the migration history (and never clashes with
    # django.contrib.auth's `auth`).
    label = "authn"
