"""The `slow` marker marks what is slow, and nothing in the configuration leaves it out: the
README's test command (which `.ci/run` runs verbatim) runs every slow test too."""

from __future__ import annotations

import shlex
import tomllib

import pytest

from tests.conftest import ROOT


def test_the_crash_loops_are_marked_slow(pytestconfig: pytest.Config) -> None:
    from tests.app.vault import test_crash

    marks = test_crash.pytestmark
    assert [m.name for m in (marks if isinstance(marks, list) else [marks])] == ["slow"]
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
