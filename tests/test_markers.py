"""The `slow` marker marks what is slow, and nothing in the configuration leaves it out: the
README's test command (which `.ci/run` runs verbatim) runs every slow test too."""

from __future__ import annotations

import importlib
import shlex
import tomllib

import pytest

from tests.conftest import ROOT

# Measured with --durations (tests/app, tests/db, the desktop memory and journey tests): the crash
# loops take minutes, these over 20 s each; the two desktop memory scans were marked before.
SLOW = ["tests/app/vault/test_crash.py",
        "tests/app/vault/test_rekey.py::test_cancel_at_every_question_leaves_the_vault_as_it_was",
        "tests/app/vault/test_failure_record_alarm.py::"
        "test_a_rollback_with_the_anchor_cut_to_match_is_an_alarm_until_a_new_anchor"]


@pytest.mark.parametrize("where", SLOW)
def test_what_is_slow_is_marked_slow(where: str, pytestconfig: pytest.Config) -> None:
    path, _, name = where.partition("::")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    marks = getattr(getattr(module, name), "pytestmark", []) if name else module.pytestmark
    assert "slow" in [m.name for m in (marks if isinstance(marks, list) else [marks])]
    assert "slow" in "".join(pytestconfig.getini("markers"))


def test_no_configuration_deselects_slow_tests() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = shlex.split(config["tool"]["pytest"]["ini_options"]["addopts"])
    assert "-m" not in addopts and not any(a.startswith(("-m", "--deselect", "-k"))
                                           for a in addopts), addopts
    assert not any((ROOT / name).exists() for name in ("pytest.ini", "tox.ini", "setup.cfg"))
    assert "README.md" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")  # CI runs its ...
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_line = next(line for line in readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
                     if "pytest" in line)
    pytest_args = shlex.split(test_line.rsplit("pytest", 1)[1])  # ... test command, which
    assert not any(a.startswith(("-m", "-k", "--deselect")) for a in pytest_args), test_line
