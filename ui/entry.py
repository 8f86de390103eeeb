"""The ``lotse`` console script: a subcommand goes to the CLI (no Qt); none starts the app;
``--self-test`` checks the installation (it needs Qt, so it is a GUI flag)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.cli.prompt import drop_from_environment as drop_passphrases_from_environment

SELF_TEST = "--self-test"
GUI_FLAGS = {"--demo", SELF_TEST}
VALUE_OPTIONS = {"--vault", "--share"}  # options of the GUI paths that take a value


def _wants_gui(argv: Sequence[str]) -> bool:
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in VALUE_OPTIONS:
            if rest:
                rest.pop(0)
            continue
        if arg.split("=", 1)[0] in VALUE_OPTIONS or arg in GUI_FLAGS:
            continue
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(args):
        # The desktop never reads them; a viewer it starts must not inherit them, and the
        # process must not keep them (overwritten, not only removed).
        drop_passphrases_from_environment()
        if SELF_TEST in args:
            from ui.selftest import run as self_test  # Qt, but not the desktop's windows

            return self_test(args)
        from ui.desktop import run  # Qt is imported only on this path

        return run(args)
    from app.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
