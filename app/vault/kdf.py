"""Argon2id parameters: calibrated at creation, bounded when read back from disk."""

from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from app.errors import Refused
from app.vault.memory import scrub_freed_heap, utf8_buffer, wipe, wipe_str

MIN_MEMORY_KIB = 64 * 1024
# A hostile key file must not make us allocate gigabytes or spin for minutes.
MAX_MEMORY_KIB = 1024 * 1024
MIN_ITERATIONS, MAX_ITERATIONS = 3, 12
MIN_LANES, MAX_LANES = 1, 8
TARGET_SECONDS = (0.5, 1.0)
# How the passphrase text becomes bytes. Key files from before Lotse normalised say "none" and
# keep deriving from the text exactly as typed; every new wrap uses NFC.
NFC, AS_TYPED = "nfc", "none"


def normalise(passphrase: str) -> str:
    """NFC, so "ä" typed as one character (Windows) or as a + combining dots (macOS, some
    input methods) derives the same key."""
    return unicodedata.normalize("NFC", passphrase)


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes
    normalisation: str = NFC

    @classmethod
    def minimum(cls) -> KdfParams:
        """The floor the security policy allows (used by tests and as calibration start)."""
        return cls(MIN_MEMORY_KIB, MIN_ITERATIONS, 4, os.urandom(16))

    def with_new_salt(self) -> KdfParams:
        """Parameters for a new wrap: a fresh salt, and always today's normalisation."""
        return KdfParams(self.memory_kib, self.iterations, self.lanes, os.urandom(16))

    def validate(self) -> None:
        ok = (
            MIN_MEMORY_KIB <= self.memory_kib <= MAX_MEMORY_KIB
            and MIN_ITERATIONS <= self.iterations <= MAX_ITERATIONS
            and MIN_LANES <= self.lanes <= MAX_LANES
            and 16 <= len(self.salt) <= 64
            and self.normalisation in (NFC, AS_TYPED)
        )
        if not ok:
            raise Refused(
                "Die Schlüsseldatei des Tresors enthält ungültige Parameter "
                "und wird nicht verwendet.",
                "key file KDF parameters outside the allowed bounds",
            )

    def derive(self, passphrase: str) -> bytearray:
        """The key-encryption key, in a buffer the caller wipes after use."""
        self.validate()
        kdf = Argon2id(
            salt=self.salt, length=32, iterations=self.iterations, lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        text = normalise(passphrase) if self.normalisation == NFC else passphrase
        secret, kek = utf8_buffer(text), bytearray(32)
        if text is not passphrase:  # normalising made a copy of its own: it goes too
            wipe_str(text)
        try:
            kdf.derive_into(secret, kek)  # type: ignore[arg-type]  # any buffer at run time
        except BaseException:
            wipe(kek)
            raise
        finally:
            wipe(secret)
            scrub_freed_heap()  # the library's own copy of the passphrase (see there)
        return kek


def calibrate(target: tuple[float, float] = TARGET_SECONDS) -> KdfParams:
    """Raise memory (then passes) from the floor until a derivation takes ``target[0]`` s."""
    params = KdfParams.minimum()
    while True:
        start = time.perf_counter()
        wipe(params.derive("calibration"))
        elapsed = time.perf_counter() - start
        if elapsed >= target[0]:
            return params.with_new_salt()
        factor = max(1.25, min(2.0, target[0] * 1.2 / max(elapsed, 1e-3)))
        memory = min(MAX_MEMORY_KIB, int(params.memory_kib * factor) // 1024 * 1024)
        if memory > params.memory_kib:
            params = KdfParams(memory, params.iterations, params.lanes, params.salt)
        elif params.iterations < MAX_ITERATIONS:
            params = KdfParams(params.memory_kib, params.iterations + 1, params.lanes, params.salt)
        else:
            return params.with_new_salt()
