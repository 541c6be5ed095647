"""Fixtures and assertion helpers shared by the behaviour and contract tests."""
