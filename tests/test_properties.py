"""Invariants of the public API over arbitrary input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from tests.strategies import clean_prose

# Characters chosen to exercise every stage: mojibake material, entities, controls,
# odd spaces, combining marks, surrogates.
damaged_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("Ã©â€™Â\xa0\u200b\r\n&;#amp\x00\x85\u0301éaeAZ ")),
    ),
    max_size=80,
)


@given(damaged_text)
def test_clean_never_raises_and_is_idempotent(text: str) -> None:
    once = textrepair.clean(text)
    assert textrepair.clean(once) == once


@given(damaged_text)
def test_undo_gives_back_the_exact_input(text: str) -> None:
    assert textrepair.repair(text).undo() == text


@given(damaged_text)
def test_edits_are_spans_of_the_input(text: str) -> None:
    result = textrepair.repair(text)
    position = 0
    for edit in result.edits:
        assert position <= edit.start <= edit.end <= len(text)
        assert text[edit.start : edit.end] == edit.before
        assert 0.0 <= edit.confidence <= 1.0
        position = edit.end


@given(st.binary(max_size=80))
def test_bytes_never_raise(data: bytes) -> None:
    assert isinstance(textrepair.clean(data), str)


@settings(max_examples=60)
@given(clean_prose())
def test_clean_ascii_prose_is_unchanged(text: str) -> None:
    assert textrepair.clean(text) == text
