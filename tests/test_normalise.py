"""The normalise stage's shortcut for ASCII text agrees with its rules."""

from __future__ import annotations

import pytest

import textrepair
from textrepair.stages import normalise


@pytest.mark.parametrize("folding", sorted(normalise._COMPILED))
def test_the_ascii_shortcut_knows_every_ascii_character_the_rules_change(
    folding: tuple[bool, bool],
) -> None:
    pattern, _ = normalise._COMPILED[folding]
    for code in range(128):
        character = chr(code)
        changed = pattern.search(f"a{character}b") is not None
        assert (normalise._ASCII_DAMAGE.search(character) is not None) == changed, repr(character)


def test_ascii_text_with_a_control_character_or_carriage_return_is_still_normalised() -> None:
    assert textrepair.clean("one\r\ntwo\x07 three", unspin=False) == "one\ntwo three"
    assert textrepair.clean("plain ascii, form\x0cfeed kept", unspin=False) == (
        "plain ascii, form\x0cfeed kept"
    )
