"""Shared black-box suite: one set of tests for every service."""
