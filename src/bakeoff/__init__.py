"""Launcher and shared tooling for the users-API bake-off."""
