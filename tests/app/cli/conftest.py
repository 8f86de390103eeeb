"""Fixtures of the CLI tests."""

from tests.support.conference_demo import demo  # noqa: F401 - the fixture, by name
