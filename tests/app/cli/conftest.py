"""Fixtures of the CLI tests."""

from tests.support.certificate_offices import offices  # noqa: F401 - the fixture, by name
from tests.support.conference_demo import demo  # noqa: F401 - the fixture, by name
