"""Colleagues' vaults for the key card exchange."""

from tests.support.seal_world import colleague_vault  # noqa: F401 - a fixture
