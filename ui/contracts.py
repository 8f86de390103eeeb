"""Abstract widgets: base classes whose abstract methods both mypy and Python enforce.

Qt's metaclass cannot be combined with ``abc.ABCMeta`` (instance checks break), so this base
does what ``ABCMeta`` does: it collects the methods still marked ``@abstractmethod`` and refuses
to build an instance of a class that has any. mypy refuses the same classes statically (it reads
``@abstractmethod`` without needing the metaclass). Dispatch on method names
(``getattr(widget, "draft_state", None)``) would instead skip a misspelt method in silence.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget


class AbstractWidget(QWidget):
    __abstract__: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__abstract__ = frozenset(
            name for name, member in inspect.getmembers(cls)
            if getattr(member, "__isabstractmethod__", False))

    def __init__(self, parent: QWidget | None = None) -> None:
        missing = type(self).__abstract__
        if missing:
            raise TypeError(f"Can't instantiate {type(self).__name__} without "
                            f"{', '.join(sorted(missing))}")
        super().__init__(parent)
