"""Per-field sync stamps: set on insert and on change, by the vault that made the change."""

from __future__ import annotations

from sqlalchemy import Engine

from db.base import SYNC_COLUMNS
from db.models import Person
from db.sync import VAULT_KEY, LotseSession, content_columns, field_stamp
from tests.support import schema_helpers
from tests.support.schema_helpers import VAULT_A, VAULT_B, add_person

# Fixtures live in the helper module; naming them here makes pytest use them.
engine = schema_helpers.engine


def test_insert_stamps_every_content_field_update_only_changed_ones(engine: Engine) -> None:
    with LotseSession(engine, info={VAULT_KEY: VAULT_A}) as s:
        person = add_person(s, "Okafor", "Chidi")
        s.commit()
        fields = content_columns(person)
        assert "deleted" in fields and not set(fields) & SYNC_COLUMNS
        assert person.origin_vault == VAULT_A
        assert person.version_vector == {VAULT_A: 1}
        assert person.field_stamps == {}  # creation stamp is implicit for every field
        assert all(field_stamp(person, f) == (VAULT_A, 1) for f in fields)
        person.family_name = "Okafor-Schmidt"
        s.commit()
        assert person.version_vector == {VAULT_A: 2}
        assert person.field_stamps["family_name"] == [VAULT_A, 2]
        assert field_stamp(person, "given_names") == (VAULT_A, 1)
        assert set(person.field_stamps) == {"family_name"}
        person_id = person.id
    with LotseSession(engine, info={VAULT_KEY: VAULT_B}) as s:
        person = s.get_one(Person, person_id)
        person.phone = "0231 000000"
        s.commit()
        assert person.version_vector == {VAULT_A: 2, VAULT_B: 1}
        assert person.changed_by_vault == VAULT_B
        assert person.field_stamps["phone"] == [VAULT_B, 1]
        assert person.field_stamps["family_name"] == [VAULT_A, 2]
        stamped_by_b = [f for f, (vault, _) in person.field_stamps.items() if vault == VAULT_B]
        assert stamped_by_b == ["phone"]
