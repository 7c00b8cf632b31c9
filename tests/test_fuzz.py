"""Fuzzing with large example budgets: ``pytest -m fuzz --hypothesis-profile fuzz``.

Not in the default run (the ``fuzz`` marker is deselected in pyproject.toml). The
default run checks the same properties with Hypothesis' usual budget in
tests/test_properties.py; this file throws far more and longer inputs at them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textrepair
from tests.strategies import SPINNER_OUTPUTS

pytestmark = pytest.mark.fuzz

# Words that make the unspin stage work, mixed into arbitrary text.
SPINNER_WORDS = st.sampled_from(SPINNER_OUTPUTS)
mixed_text = st.lists(st.one_of(st.text(max_size=30), SPINNER_WORDS), max_size=60).map(" ".join)


@given(st.one_of(st.text(max_size=2_000), mixed_text))
def test_any_text_repairs_without_loss_and_is_idempotent(text: str) -> None:
    result = textrepair.repair(text)
    assert result.undo() == text
    assert textrepair.clean(result.text) == result.text


@given(st.binary(max_size=2_000))
def test_any_bytes_never_raise(data: bytes) -> None:
    assert isinstance(textrepair.clean(data), str)
