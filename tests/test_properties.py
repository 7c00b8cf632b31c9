"""Invariants of the public API over arbitrary input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from tests.strategies import clean_prose
from textrepair.evaluation import real_texts

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


# The real clean corpus (published texts, see corpus/README.md), read from the checkout.
REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"
REAL_TEXTS = (
    [(REAL / row["file"]).read_text(encoding="utf-8") for row in real_texts(REAL)]
    if (REAL / "manifest.tsv").is_file()
    else []
)


@pytest.mark.skipif(not REAL_TEXTS, reason="no real clean corpus (corpus/real) in this checkout")
@settings(max_examples=80, deadline=None)
@given(st.data())
def test_real_clean_text_is_a_fixed_point(data: st.DataObject) -> None:
    """Any run of paragraphs of a real clean text comes back byte-identical.

    Glue repair is off: scraped real text may hold glued sentences ("what?Many"), which
    are damage the glue stage rightly repairs; the words themselves must not change.
    """
    paragraphs = data.draw(st.sampled_from(REAL_TEXTS)).split("\n")
    start = data.draw(st.integers(0, len(paragraphs) - 1))
    end = data.draw(st.integers(start + 1, len(paragraphs)))
    sample = "\n".join(paragraphs[start:end])
    assert textrepair.clean(sample, split_glued=False) == sample
