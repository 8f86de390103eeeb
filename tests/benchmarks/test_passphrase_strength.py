"""The strength rule per keystroke: what the desktop runs on the GUI thread at every key.

Each prefix of a few typical passphrases is rated as the person types it (context: name,
municipality, vault code). Baseline: plain zxcvbn on the same text, without the German words,
Lotse's terms and the second rating without separators. Also reported: loading the word lists
once (done on a thread before the first keystroke).
Target: median <= 16 ms per keystroke (one frame at 60 Hz).
"""

from __future__ import annotations

import statistics

from zxcvbn import zxcvbn

from app import passphrase_strength
from app.passphrase_policy import assess
from tests.benchmarks.harness import RESULTS, Row, p95, timed

TYPED = ["korrekt Pferd Batterie Heftklammer", "Kaffee am Nordmarkt um acht",
         "ich liebe dich", "Passwort123!", "daran lappen graben entnehmen fernbedienung",
         "Grüße aus Köln über Düsseldorf Straßenbahn"]
CONTEXT = ["Jana Kowalczyk", "DO", "K7QX"]
TARGET_MS = 16.0
ROUNDS = 3


def test_strength_per_keystroke() -> None:
    loads = []
    for _ in range(3):
        seconds, _ = timed(passphrase_strength._german)
        loads.append(seconds)
    passphrase_strength.preload()
    ours: list[float] = []
    plain: list[float] = []
    for _ in range(ROUNDS):
        for phrase in TYPED:
            for end in range(1, len(phrase) + 1):
                text = phrase[:end]
                ours.append(timed(lambda text=text: assess(text, CONTEXT))[0])
                plain.append(timed(lambda text=text: zxcvbn(text, CONTEXT))[0])
    group = "passphrase strength (desktop, per keystroke)"
    median_ms = statistics.median(ours) * 1000
    rows = [
        RESULTS.add(Row(group, "rule per keystroke (baseline: plain zxcvbn)", "ms", ours, plain,
                        target=f"median <= {TARGET_MS:.0f} ms", ok=median_ms <= TARGET_MS,
                        note=f"p95 {p95(ours) * 1000:.1f} ms over {len(ours)} keystrokes")),
        RESULTS.add(Row(group, "German word list loaded (once, on a thread)", "ms", loads, [])),
    ]
    print()
    print(RESULTS.table(rows))
    assert rows[0].ok, f"strength rule: median {median_ms:.1f} ms per keystroke"
