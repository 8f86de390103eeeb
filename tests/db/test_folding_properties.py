"""Properties of search and sort folding over arbitrary text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from db.folding import SORT_SEPARATOR, fold_search, fold_sort
from tests.support.folding_helpers import find, fts_index

TRICKY = (
    "\u0301\u0308\u0307\u0327\u0326\u064e\u0654\u0640\u200b\u200c\u200d\u00ad\ufeff"
    "\u3099\u309a\u304b\u1100\u1161\u11a8\u0915\u093c\u0627"
    "aeouAEOUäöüÄÖÜßẞıİşğçłđøæœåﬁﬃﷺﷴ⑽㍻ŉǅ -'’./\\\t\n\x00\x01"
)
any_text = (
    st.text()
    | st.text(alphabet=st.sampled_from(TRICKY))
    | st.text(
        alphabet=st.characters(exclude_categories=())  # includes lone surrogates
    )
)
latin_text = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        "äöüÄÖÜßıİşŞğĞçÇłŁđĐćčšžąęóśźżńøæåéèêșțȘȚơư\u0301\u0308 -'."
    )
)


@given(any_text)
@settings(max_examples=500)
def test_fold_search_is_idempotent(text: str) -> None:
    once = fold_search(text)
    assert fold_search(once) == once


@given(any_text)
@settings(max_examples=500)
def test_fold_search_never_longer_than_three_times(text: str) -> None:
    assert len(fold_search(text)) <= 3 * len(text)


@given(latin_text)
@settings(max_examples=500)
def test_prefix_of_name_folds_to_prefix(text: str) -> None:
    full = fold_search(text)
    for end in range(len(text) + 1):
        assert full.startswith(fold_search(text[:end]))


@given(any_text)
def test_fts_prefix_query_never_breaks_fts5(text: str) -> None:
    con = fts_index([text])
    found = find(con, [text], text)  # must not raise
    if text.isascii() and text.isalnum():
        assert found == {text}  # a plain word always finds itself
    con.close()


@given(any_text, any_text)
@settings(max_examples=500)
def test_fold_sort_total_order_consistent_with_equality(a: str, b: str) -> None:
    ka, kb = fold_sort(a), fold_sort(b)
    assert (ka == kb) == (a == b)
    assert (ka < kb) + (ka > kb) + (ka == kb) == 1


@given(st.lists(any_text, min_size=3, max_size=3))
def test_fold_sort_is_transitive(items: list[str]) -> None:
    a, b, c = sorted(items, key=fold_sort)
    assert fold_sort(a) <= fold_sort(b) <= fold_sort(c)
    assert fold_sort(a) <= fold_sort(c)


@given(any_text)
def test_fold_output_has_no_separator_or_controls(text: str) -> None:
    folded = fold_search(text)
    assert SORT_SEPARATOR not in folded
    assert "\x00" not in folded
    assert folded == folded.strip()
    assert "  " not in folded
