"""Store-level failures. The app layer turns them into user-facing errors with exit codes."""


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
