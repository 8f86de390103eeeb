"""Store-level failures. The app layer turns them into user-facing errors with exit codes."""

from typing import ClassVar


class StoreError(Exception):
    """Base for every refusal to open or use the encrypted store."""


class NotAStore(StoreError):
    """The file is missing, empty, truncated, plaintext or not a Lotse store."""


class UndecryptableStore(StoreError):
    """The key does not decrypt the file (foreign or damaged file; the key itself was verified)."""


class CipherSettingsMismatch(StoreError):
    """SQLCipher reports settings other than the pinned ones."""


class NewerSchema(StoreError):
    """The store was written by a newer Lotse; opening it could damage it."""


class UnsafeFile(StoreError):
    """A vault file is a link, a folder, a device or FIFO, or has a second hard link."""

    LINK = "link"
    SPECIAL = "special"
    HARDLINK = "hardlink"
    _EN: ClassVar[dict[str, str]] = {
        LINK: "a symbolic link or junction", SPECIAL: "not a regular file",
        HARDLINK: "a file with another hard link"}

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name} is {self._EN[problem]}; vault files must be plain files "
                         "inside the vault folder (refusing to use it)")
        self.name = name
        self.problem = problem


class StoreLocked(StoreError):
    """The vault was locked: its key is wiped, so no new connection can be keyed."""


class WriteInReadSession(RuntimeError):
    """A programming error: a unit of work opened to read only tried to write."""
