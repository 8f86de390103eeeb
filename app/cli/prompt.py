"""Where the CLI gets a passphrase, first match wins (as in restic and borg):

1. ``--passphrase-file FILE``: its first line (a trailing newline is not part of it). On POSIX a
   file that group or others may read is refused, as ssh refuses such a key: the passphrase would
   already be out.
2. ``LOTSE_PASSPHRASE_COMMAND``: a command run without a shell (e.g. ``pass show lotse``); the
   first line it prints. A command that fails is an error, never an empty passphrase.
3. ``LOTSE_PASSPHRASE``.
4. Standard input when it is not a terminal: its first line (the next line for a second one).
5. Asked on the terminal without echo (a new passphrase twice).

A new passphrase for ``passwd`` comes from ``--new-passphrase-file``, ``LOTSE_NEW_PASSPHRASE``,
standard input or the prompt. The variables are removed from the environment when the CLI
starts, so no process Lotse starts (the passphrase command, a viewer) inherits them, and their
values are overwritten when the command is done; the desktop overwrites them at start.
"""

from __future__ import annotations

import getpass
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

from app.errors import Refused, UsageError
from app.vault.memory import remove_secret_variable, wipe_str

ENV_PASSPHRASE = "LOTSE_PASSPHRASE"  # noqa: S105 - names of variables, not secrets
ENV_NEW_PASSPHRASE = "LOTSE_NEW_PASSPHRASE"  # noqa: S105
ENV_COMMAND = "LOTSE_PASSPHRASE_COMMAND"
SECRET_VARIABLES = (ENV_PASSPHRASE, ENV_NEW_PASSPHRASE, ENV_COMMAND)
MAX_LINE_BYTES = 4096  # far above any passphrase; a wrong file is not read whole

_taken: dict[str, str] = {}
_files: dict[str, Path | None] = {ENV_PASSPHRASE: None, ENV_NEW_PASSPHRASE: None}


def _variable(name: str) -> str | None:
    """The variable's value, moved out of the environment (and so out of every child's): the
    process keeps this one copy until ``forget``."""
    if name in os.environ:
        _taken[name] = os.environ[name]  # a fresh string, decoded from the environment's copy
        remove_secret_variable(name)
    return _taken.get(name)


def take_from_environment() -> None:
    """Called first thing by the CLI: no child started later, for whatever reason, sees the
    variables."""
    for name in SECRET_VARIABLES:
        _variable(name)


def drop_from_environment() -> None:
    """Called first thing by the desktop, which never reads them: the values are overwritten
    and removed without a copy being kept."""
    for name in SECRET_VARIABLES:
        remove_secret_variable(name)


def forget() -> None:
    """When the CLI is done: the values taken from the environment are overwritten."""
    while _taken:
        wipe_str(_taken.popitem()[1])


def configure(passphrase_file: Path | None = None, new_passphrase_file: Path | None = None
              ) -> None:
    _files[ENV_PASSPHRASE] = passphrase_file
    _files[ENV_NEW_PASSPHRASE] = new_passphrase_file


def _first_line(raw: bytes, source: str) -> str:
    line = raw.split(b"\n", 1)[0]
    if len(line) > MAX_LINE_BYTES:
        raise UsageError("Die Passphrase-Quelle ist ungültig.", f"{source}: line too long")
    line = line.removesuffix(b"\r")  # a file written on Windows
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("Die Passphrase-Quelle ist ungültig.",
                         f"{source}: not UTF-8 text") from None
    if not text:
        raise UsageError("Keine Passphrase eingegeben.", f"{source}: empty passphrase")
    return text


def _from_file(path: Path) -> str:
    source = f"passphrase file {path}"
    try:
        with open(path, "rb") as fh:  # a link or a pipe (<(pass show lotse)) is fine
            mode = os.fstat(fh.fileno()).st_mode
            if os.name == "posix" and stat.S_ISREG(mode) and mode & 0o077:
                raise Refused("Die Passphrase-Datei ist für andere lesbar.",
                              f"{source} is accessible by group or others; "
                              f"restrict it first (chmod 600)")
            raw = fh.readline(MAX_LINE_BYTES + 2)
    except OSError as exc:
        raise UsageError("Die Passphrase-Datei kann nicht gelesen werden.",
                         f"cannot read {source}: {exc.strerror}") from None
    return _first_line(raw, source)


def _from_command(command: str) -> str:
    source = ENV_COMMAND
    # No shell: the variable names a program and its arguments, nothing a shell would expand.
    argv: str | list[str] = shlex.split(command) if os.name == "posix" else command
    if not argv:
        raise UsageError("Der Passphrase-Befehl ist leer.", f"{source} is empty")
    try:  # stdin and stderr stay the terminal's, so the program can ask (gpg's pinentry)
        done = subprocess.run(argv, stdout=subprocess.PIPE, check=False)
    except (OSError, ValueError) as exc:
        raise UsageError("Der Passphrase-Befehl konnte nicht gestartet werden.",
                         f"{source} could not be started: {exc}") from None
    if done.returncode != 0:
        raise UsageError("Der Passphrase-Befehl ist fehlgeschlagen.",
                         f"{source} exited with status {done.returncode}")
    return _first_line(done.stdout, source)


def _from_stdin() -> str | None:
    stream = sys.stdin
    if stream is None or stream.isatty():
        return None
    buffer = getattr(stream, "buffer", None)
    raw = (buffer.readline(MAX_LINE_BYTES + 2) if buffer is not None
           else stream.readline(MAX_LINE_BYTES + 2).encode())
    if not raw:
        raise UsageError("Keine Passphrase eingegeben.",
                         "no passphrase given: standard input ended (see `lotse --help`)")
    return _first_line(raw, "standard input")


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError("Keine Passphrase eingegeben.",
                         f"no passphrase given (set {ENV_PASSPHRASE} or see `lotse --help`)"
                         ) from None


def _given(role: str) -> str | None:
    """A passphrase from a non-interactive source, or None to ask for it."""
    path = _files[role]
    if path is not None:
        return _from_file(path)
    if role == ENV_PASSPHRASE:
        command = _variable(ENV_COMMAND)
        if command is not None:
            return _from_command(command)
    value = _variable(role)
    if value is not None:
        return value
    return _from_stdin()


def given_elsewhere(env: str) -> bool:
    """Whether a file or variable already names the passphrase for ``env``'s role (so a
    generated one would contradict it)."""
    if _files.get(env) is not None or _variable(env) is not None:
        return True
    return env == ENV_PASSPHRASE and _variable(ENV_COMMAND) is not None


def passphrase(prompt: str = "Passphrase: ") -> str:
    """The passphrase of the vault (or backup) at hand."""
    value = _given(ENV_PASSPHRASE)
    return value if value is not None else _ask(prompt)


def new_passphrase(env: str) -> str:
    """A passphrase about to be set: for ``init`` (``env`` = LOTSE_PASSPHRASE) from the usual
    sources, for ``passwd`` (LOTSE_NEW_PASSPHRASE) from the new-passphrase ones."""
    value = _given(env)
    if value is not None:
        return value
    first = _ask("New passphrase: ")
    if _ask("Repeat new passphrase: ") != first:
        raise UsageError("Die Passphrasen stimmen nicht überein.", "passphrases do not match")
    return first
