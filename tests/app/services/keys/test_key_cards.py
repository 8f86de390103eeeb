"""Key cards between vaults: exported with the revocation list, previewed, trusted only after
the fingerprint was typed; newer cards and lists update without asking, an old copy put back
changes nothing; the own card is recognised; a withdrawal reaches colleagues."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit import Kind
from app.clock import FixedClock
from app.errors import NotFound, ValidationFailed
from app.seal.cards import read_card_file
from app.seal.errors import SealError
from app.seal.records import R_SIGNATURE
from app.services.keys.read import preview_card, trusted_keys
from app.services.keys.write import (
    distrust,
    export_card,
    import_card,
    own_key,
    withdraw_own_key,
)
from app.vault.store import Vault
from db.models import AuditLog, RevocationList, TrustedKey
from tests.support.seal_world import MakeVault, trust


def _audit(vault: Vault) -> list[AuditLog]:
    with vault.read_session() as s:
        return list(s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars())


def _count(vault: Vault, model: type[TrustedKey] | type[RevocationList]) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_card_is_previewed_then_trusted_with_the_typed_fingerprint(
        vault: Vault, colleague_vault: MakeVault) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    card = export_card(cologne)
    theirs = own_key(cologne)
    own_key(vault)
    p = preview_card(vault, card)
    assert (p.fingerprint, p.fingerprint_display, p.issuer_office, p.holder_name) == (
        theirs.fingerprint, theirs.fingerprint_display, "Stadt Köln", "Kollege Köln")
    assert (p.already_trusted, p.own, p.revocations, p.warnings) == (False, False, 0, [])
    assert p.revocations_as_of is not None
    typed = p.fingerprint_display.lower().replace(" ", "")
    row = import_card(vault, card, typed)
    assert (row.fingerprint, row.own, row.issuer_office) == (theirs.fingerprint, False,
                                                             "Stadt Köln")
    assert [r.issuer_office for r in trusted_keys(vault)] == ["Stadt Dortmund", "Stadt Köln"]
    kinds = [(e.kind, e.detail) for e in _audit(vault) if e.kind in (
        Kind.KEY_TRUSTED, Kind.REVOCATIONS_IMPORTED)]
    assert kinds == [(Kind.KEY_TRUSTED, {"kid": theirs.kid, "fingerprint": theirs.fingerprint}),
                     (Kind.REVOCATIONS_IMPORTED, {
                         "kid": theirs.kid, "fingerprint": theirs.fingerprint, "entries": 0,
                         "as_of": p.revocations_as_of.isoformat()})]
    assert preview_card(vault, card).already_trusted
    assert [e.detail["fingerprint"] for e in _audit(cologne)
            if e.kind == Kind.KEY_CARD_EXPORTED] == [theirs.fingerprint]


def test_a_fingerprint_typed_wrongly_is_refused_and_nothing_is_saved(
        vault: Vault, colleague_vault: MakeVault) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    card = export_card(cologne)
    shown = preview_card(vault, card).fingerprint_display
    wrong = shown[:-1] + ("0" if shown[-1] != "0" else "1")
    for typed in (wrong, "", shown[:20]):
        with pytest.raises(ValidationFailed) as err:
            import_card(vault, card, typed)
        assert err.value.field == "fingerprint"
        assert "stimmt nicht" in err.value.message_de
    assert _count(vault, TrustedKey) == 0 and _count(vault, RevocationList) == 0


def test_a_tampered_card_file_is_refused(vault: Vault, colleague_vault: MakeVault) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    card = bytearray(export_card(cologne))
    at = bytes(card).index("Kollege Köln".encode())
    card[at] = ord("X")
    with pytest.raises(SealError) as err:
        preview_card(vault, bytes(card))
    assert err.value.reason == R_SIGNATURE
    with pytest.raises(SealError):
        import_card(vault, bytes(card), "")


def test_an_old_copy_put_back_changes_nothing(
        vault: Vault, colleague_vault: MakeVault, clock: FixedClock) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    old = export_card(cologne)
    import_card(vault, old, preview_card(vault, old).fingerprint)
    clock.advance(timedelta(days=3))
    withdraw_own_key(cologne, "Laptop verloren")
    newer = export_card(cologne)  # the new key's card, with the withdrawn one
    _, newer_list = read_card_file(newer)
    old_row = next(r for r in trusted_keys(vault) if not r.own)
    assert (f"Der bisher vertraute Schlüssel {old_row.fingerprint_display} wurde am 28.11.2026 "
            "zurückgezogen; das wird beim Einlesen übernommen.") in preview_card(
                vault, newer).warnings
    # The new key is not trusted yet: the withdrawal of the old one applies all the same.
    with pytest.raises(ValidationFailed):
        import_card(vault, newer, "")
    withdrawn = [r for r in trusted_keys(vault) if not r.own]
    assert [r.withdrawn_on for r in withdrawn] == [date(2026, 11, 28)]
    import_card(vault, newer, preview_card(vault, newer).fingerprint)
    before = trusted_keys(vault)
    # The old card, without withdrawal and with its older list, is put back.
    p = preview_card(vault, old)
    assert "Dieser Schlüssel wurde bereits am 28.11.2026 zurückgezogen." in p.warnings
    import_card(vault, old, "")
    assert trusted_keys(vault) == before
    assert newer_list is not None
    assert {r.fingerprint: r.withdrawn_on for r in before} == {
        withdrawn[0].fingerprint: date(2026, 11, 28), newer_list.fingerprint: None}


def test_a_newer_list_of_a_trusted_key_updates_without_asking_and_an_older_never(
        vault: Vault, colleague_vault: MakeVault, clock: FixedClock) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    first = export_card(cologne)
    clock.advance(timedelta(hours=2))
    second = export_card(cologne)
    trust_row = import_card(vault, second, preview_card(vault, second).fingerprint)
    assert trust_row.revocations_as_of == clock.now()
    p = preview_card(vault, first)
    assert "Diese Schlüsselkarte ist älter als die gespeicherte; sie ändert nichts." in p.warnings
    assert "Die mitgelieferte Widerrufsliste ist nicht neuer als die gespeicherte; sie ändert " \
           "nichts." in p.warnings
    assert import_card(vault, first, "").revocations_as_of == clock.now()
    assert "Diese Schlüsselkarte ist älter als die gespeicherte; sie ändert nichts." in \
        preview_card(vault, first).warnings  # the newer card is still the one held
    clock.advance(timedelta(hours=2))
    third = export_card(cologne)
    assert import_card(vault, third, "").revocations_as_of == clock.now()
    imported = [e for e in _audit(vault) if e.kind == Kind.REVOCATIONS_IMPORTED]
    assert len(imported) == 2


def test_the_own_card_is_recognised_and_changes_nothing(vault: Vault) -> None:
    card = export_card(vault)
    p = preview_card(vault, card)
    assert (p.own, p.already_trusted) == (True, True)
    assert "Das ist die Schlüsselkarte dieses Tresors." in p.warnings
    before = [e.seq for e in _audit(vault)]
    row = import_card(vault, card, "")
    assert row.own and row.fingerprint == own_key(vault).fingerprint
    assert [e.seq for e in _audit(vault)] == before
    assert _count(vault, RevocationList) == 0


def test_distrust_drops_a_colleagues_key_and_its_list_but_never_the_own(
        vault: Vault, colleague_vault: MakeVault) -> None:
    cologne = colleague_vault("K", "K0LN", "Kollege Köln")
    own_key(vault)
    row = trust(vault, cologne)
    distrust(vault, row.fingerprint_display)
    assert [r.own for r in trusted_keys(vault)] == [True]
    assert _count(vault, RevocationList) == 0
    assert [e.detail for e in _audit(vault) if e.kind == Kind.KEY_DISTRUSTED] == [
        {"kid": row.kid, "fingerprint": row.fingerprint}]
    with pytest.raises(NotFound):
        distrust(vault, row.fingerprint)
    with pytest.raises(ValidationFailed, match="own key"):
        distrust(vault, own_key(vault).fingerprint)


def test_withdrawing_the_own_key_needs_a_reason_and_the_next_key_takes_over(
        vault: Vault, clock: FixedClock) -> None:
    first = own_key(vault)
    with pytest.raises(ValidationFailed):
        withdraw_own_key(vault, "  ")
    withdraw_own_key(vault, "Laptop verloren")
    rows = trusted_keys(vault)
    assert [(r.fingerprint, r.withdrawn_on) for r in rows] == [
        (first.fingerprint, date(2026, 11, 25))]
    second = own_key(vault)
    assert second.fingerprint != first.fingerprint and second.withdrawn_on is None
    kinds = [e.kind for e in _audit(vault)]
    assert kinds.count(Kind.KEY_WITHDRAWN) == 1 and kinds.count(Kind.KEY_CREATED) == 2
    assert "Laptop" not in str([e.detail for e in _audit(vault)])
