"""A handed-over stub has no name left; lists say so instead of showing a lone comma."""

from app.client_name import NO_NAME_DE, client_name


def test_a_client_reads_family_name_first() -> None:
    assert client_name("Öztürk", "Ayşe") == "Öztürk, Ayşe"


def test_a_stub_without_personal_data_says_what_it_is() -> None:
    assert client_name("", "") == NO_NAME_DE
    assert client_name("  ", "") == NO_NAME_DE
    assert "," not in NO_NAME_DE
