"""How long operations report progress: ``progress(done, total)``, called on the worker thread."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int], None]
