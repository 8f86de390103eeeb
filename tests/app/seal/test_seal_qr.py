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
from app.seal.qrtext import MAX_QR_TEXT, fits, seal, sealed_length, shorten_to_fit, unseal
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
    original = replace(long, copy=0, copy_on=None)
    short = shorten_to_fit(original)
    assert short.subject.endswith("…") and long.subject.startswith(short.subject[:-1])
    # The original leaves room for its Zweitschriften: each is sealed again with its number.
    assert fits(replace(short, copy=999, copy_on=date(2099, 12, 31)))
    assert not fits(replace(short, subject=short.subject[:-1] + "xx…", copy=999,
                            copy_on=date(2026, 12, 1)))
    fitting = replace(original, subject="Sprachkurs B1")
    assert shorten_to_fit(fitting) == fitting
    with pytest.raises(ValueError, match="more than 13"):
        qr_matrix("A" * 353)


def test_the_limit_is_exactly_what_a_version_13_code_holds() -> None:
    private = new_private_key()
    lengths = set()
    for n in range(1, 61):
        p = replace(LONGEST, subject="x" * n)
        length = sealed_length(p)
        lengths.add(length)
        if length <= MAX_QR_TEXT:
            assert fits(p)
            assert len(qr_matrix(seal(p, private))) <= 17 + 4 * MAX_QR_VERSION
        else:
            assert not fits(p)
            with pytest.raises(ValidationFailed):
                seal(p, private)
            with pytest.raises(ValueError):
                qr_matrix("A" * length)
    assert min(lengths) <= MAX_QR_TEXT < max(lengths)
