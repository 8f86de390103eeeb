"""Every passphrase source of the CLI, their order, and that no process Lotse starts inherits a
passphrase variable."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault
from tests.conftest import PASSPHRASE, ROOT, file_hashes
from tests.support.secret_refs import mask

WRONG = "daneben daneben daneben"
NEW = "Ziegel Abendrot Kompass Wolkenbruch"


def lotse(*args: str, vault: Path, env: dict[str, str] | None = None, stdin: str | None = None
          ) -> subprocess.CompletedProcess[str]:
    """The CLI with exactly the passphrase sources given (none inherited from the test run)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "app", "--vault", str(vault), *args],
                          capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120,
                          input=stdin if stdin is not None else "")


@pytest.fixture
def folder(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Mariam", family_name="Haidari", municipality="DO"))
    vault.lock()
    return vault_dir


def listed(res: subprocess.CompletedProcess[str]) -> list[str]:
    assert res.returncode == 0, res.stderr
    return [r["family_name"] for r in json.loads(res.stdout)]


def secret_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_bytes(text.encode())
    path.chmod(mode)
    return path


def test_passphrase_file_first_line(folder: Path, tmp_path: Path) -> None:
    for name, text in (("unix", PASSPHRASE + "\n"), ("windows", PASSPHRASE + "\r\nmore\r\n"),
                       ("bare", PASSPHRASE)):
        path = secret_file(tmp_path / name, text)
        res = lotse("--passphrase-file", str(path), "cases", "--json", vault=folder,
                    env={"LOTSE_PASSPHRASE": WRONG}, stdin=WRONG + "\n")  # the file comes first
        assert listed(res) == ["Haidari"]


def test_passphrase_file_readable_by_others_is_refused(folder: Path, tmp_path: Path) -> None:
    before = file_hashes(folder)
    for mode in (0o644, 0o640):
        path = secret_file(tmp_path / f"open{mode:o}", PASSPHRASE + "\n", mode)
        res = lotse("--passphrase-file", str(path), "cases", vault=folder)
        assert res.returncode == 2
        assert res.stderr.strip() == (f"error: passphrase file {path} is accessible by group "
                                      "or others; restrict it first (chmod 600)")
    assert file_hashes(folder) == before


def test_passphrase_file_from_a_pipe(folder: Path) -> None:
    """``--passphrase-file <(pass show lotse)``: process substitution hands over a pipe."""
    cmd = shlex.join([sys.executable, "-m", "app", "--vault", str(folder)])
    res = subprocess.run(["bash", "-c", f"{cmd} --passphrase-file <(printf '%s\\n' "
                          f"{shlex.quote(PASSPHRASE)}) cases --json"], capture_output=True,
                         text=True,
                         cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL,
                         env={k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")})
    assert listed(res) == ["Haidari"]


def test_missing_or_empty_passphrase_file(folder: Path, tmp_path: Path) -> None:
    res = lotse("--passphrase-file", str(tmp_path / "nope"), "cases", vault=folder)
    assert res.returncode == 1 and "cannot read passphrase file" in res.stderr
    empty = secret_file(tmp_path / "empty", "\n")
    res = lotse("--passphrase-file", str(empty), "cases", vault=folder)
    assert res.returncode == 1 and res.stderr.strip().endswith("empty passphrase")


def test_passphrase_command_and_its_environment(folder: Path, tmp_path: Path) -> None:
    seen = tmp_path / "seen-env.json"
    script = tmp_path / "give passphrase.py"  # a space: the variable is split like a shell's
    script.write_text(
        "import json, os, sys\n"
        f"json.dump(dict(os.environ), open({str(seen)!r}, 'w'))\n"
        f"print({PASSPHRASE!r})\n")
    command = shlex.join([sys.executable, str(script)])
    res = lotse("cases", "--json", vault=folder,
                env={"LOTSE_PASSPHRASE_COMMAND": command, "LOTSE_PASSPHRASE": WRONG,
                     "LOTSE_NEW_PASSPHRASE": NEW}, stdin=WRONG + "\n")
    assert listed(res) == ["Haidari"]  # the command comes before the variable and stdin
    # The child Lotse started inherited none of the passphrase variables.
    assert not [k for k in json.loads(seen.read_text()) if k.startswith("LOTSE_")]


def test_failing_passphrase_command_is_an_error(folder: Path, tmp_path: Path) -> None:
    before = file_hashes(folder)
    for command, detail in (
            (shlex.join([sys.executable, "-c", "import sys; print('x'); sys.exit(3)"]),
             "LOTSE_PASSPHRASE_COMMAND exited with status 3"),
            (str(tmp_path / "no-such-program"), "LOTSE_PASSPHRASE_COMMAND could not be started"),
            (shlex.join([sys.executable, "-c", "pass"]), "LOTSE_PASSPHRASE_COMMAND: empty "
                                                         "passphrase")):
        res = lotse("cases", vault=folder, env={"LOTSE_PASSPHRASE_COMMAND": command})
        assert res.returncode == 1, res.stderr
        assert res.stderr.startswith(f"error: {detail}") and res.stdout == ""
    assert file_hashes(folder) == before  # not even a failed attempt was counted


def test_variable_before_standard_input(folder: Path) -> None:
    res = lotse("cases", "--json", vault=folder, env={"LOTSE_PASSPHRASE": PASSPHRASE},
                stdin=WRONG + "\n")
    assert listed(res) == ["Haidari"]


def test_standard_input_when_it_is_not_a_terminal(folder: Path) -> None:
    assert listed(lotse("cases", "--json", vault=folder, stdin=PASSPHRASE + "\n")) == ["Haidari"]
    res = lotse("cases", vault=folder, stdin="")
    assert res.returncode == 1 and "no passphrase given: standard input ended" in res.stderr


def test_init_and_passwd_from_files_and_standard_input(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    first = secret_file(tmp_path / "first", PASSPHRASE + "\n")
    res = lotse("--passphrase-file", str(first), "init", "--owner-name", "Jana K", vault=folder)
    assert res.returncode == 0, res.stderr
    assert listed(lotse("cases", "--json", vault=folder, stdin=PASSPHRASE + "\n")) == []
    # passwd: the current passphrase on the first line, the new one on the next.
    res = lotse("passwd", vault=folder, stdin=f"{PASSPHRASE}\n{NEW}\n")
    assert res.returncode == 0, res.stderr
    assert listed(lotse("cases", "--json", vault=folder, stdin=NEW + "\n")) == []
    new_file = secret_file(tmp_path / "new", PASSPHRASE + "\n")
    res = lotse("passwd", "--new-passphrase-file", str(new_file), vault=folder,
                env={"LOTSE_PASSPHRASE": NEW})
    assert res.returncode == 0, res.stderr
    assert listed(lotse("--passphrase-file", str(first), "cases", "--json", vault=folder)) == []


def test_help_documents_the_sources_in_order() -> None:
    res = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert res.returncode == 0
    order = [res.stdout.index(s) for s in ("--passphrase-file FILE     its first line",
                                           "LOTSE_PASSPHRASE_COMMAND", "LOTSE_PASSPHRASE  ",
                                           "standard input", "asked without echo")]
    assert order == sorted(order)


def test_a_passphrase_from_the_environment_is_overwritten_when_the_command_is_done(
        folder: Path) -> None:
    """The CLI keeps the popped variable while the command runs, and not a moment longer."""
    child = ("import sys\n"
             "from app.cli.main import main\n"
             "from tests.support.secret_refs import holders\n"
             "code = main(['--vault', sys.argv[2], 'cases', '--json'])\n"
             "print(code, holders({'passphrase': bytes.fromhex(sys.argv[1])}))\n")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    done = subprocess.run([sys.executable, "-c", child, mask(PASSPHRASE.encode()).hex(),
                           str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**full_env, "LOTSE_PASSPHRASE": PASSPHRASE})
    assert done.returncode == 0, done.stderr
    assert '"Haidari"' in done.stdout  # the command ran with it
    assert done.stdout.strip().splitlines()[-1] == "0 []"
