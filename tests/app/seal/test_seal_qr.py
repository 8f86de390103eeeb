"""A Lotse-sized certificate fits a QR code of version ≤ 13 at level Q; what would not fit is
refused with a German message, and the subject can be shortened to fit."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from PIL import Image

from app.errors import ValidationFailed
from app.seal.keys import new_private_key
from app.seal.qr import qr_matrix, qr_png
from app.seal.qrtext import fits, seal, shorten_to_fit, unseal
from app.seal.records import MAX_QR_VERSION, SealPayload

# The longest realistic values: the longest office of the model municipalities, a long
# double name with letters outside Latin-1, a reprint with every date present.
LONGEST = SealPayload(kind="participation", serial="RBK-2026-7KQ3-B9999",
                      holder="Ayşe-Gülşen Yılmaz-Öztürk", birth_date=date(1985, 3, 14),
                      issued_on=date(2026, 11, 25), office="Rheinisch-Bergischer Kreis",
                      subject="Erstorientierungskurs", period_from=date(2026, 1, 5),
                      period_until=date(2026, 10, 30), copy=12, copy_on=date(2026, 12, 1))


def test_the_longest_realistic_certificate_fits_version_13_at_level_q() -> None:
    text = seal(LONGEST, new_private_key())
    matrix = qr_matrix(text)
    assert len(matrix) <= 17 + 4 * MAX_QR_VERSION  # 69 modules: version 13
    assert unseal(text).payload == LONGEST
    png = Image.open(io.BytesIO(qr_png(text, scale=2)))
    assert png.size == ((len(matrix) + 8) * 2,) * 2


def test_a_subject_too_long_for_the_code_is_refused_and_can_be_shortened() -> None:
    long = replace(LONGEST, subject="Integrationskurs mit Alphabetisierung, Module 1 bis 6")
    assert not fits(long)
    with pytest.raises(ValidationFailed) as err:
        seal(long, new_private_key())
    assert err.value.field == "subject"
    assert "kürzen" in err.value.message_de
    short = shorten_to_fit(long)
    assert fits(short) and short.subject.endswith("…")
    assert long.subject.startswith(short.subject[:-1])
    assert shorten_to_fit(LONGEST) == LONGEST
    with pytest.raises(ValueError, match="more than 13"):
        qr_matrix("A" * 353)
