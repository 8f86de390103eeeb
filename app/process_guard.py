"""Keep the process's memory to itself: no core dumps, and on Linux no reading by other
processes of the same user (stdlib only: called first thing by the desktop and the CLI).

While a vault is unlocked its key is in memory, and before the lock wipes them the passphrase
and personal data are too. A core file written on a crash would put all of that on disk.

- POSIX: the core size limit goes to 0 (soft and hard, so nothing started later raises it).
- Linux: the process is also marked not dumpable (``PR_SET_DUMPABLE`` 0). The kernel then
  writes no core at all, whatever the limit or ``core_pattern`` says, and refuses
  ``/proc/PID/mem`` and ptrace to every process without CAP_SYS_PTRACE, including other
  programs of the same user (a browser exploit, say). Debuggers and py-spy need root then.
- Windows has no core limit: crash dumps come from Windows Error Reporting. It writes local
  dumps only where an administrator configured ``LocalDumps`` in the registry; the installer
  notes say to exclude ``Lotse.exe`` there (and from any Watson upload policy).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Best effort: each measure the platform lacks is skipped, never an error."""
    if os.name == "posix":
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
