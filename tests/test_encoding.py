"""The encoding stage's shortcut: which lines it may leave without asking ftfy."""

from __future__ import annotations

import itertools

import ftfy
from hypothesis import given
from hypothesis import strategies as st

import textrepair
from textrepair.stages import encoding

# ASCII without "&" and ESC, plus the typography the stage lets past ftfy.
SKIPPED_ALPHABET = (
    "".join(chr(code) for code in range(128) if chr(code) not in "&\x1b")
    + encoding.UNCHANGED_TYPOGRAPHY
)


@given(st.text(alphabet=SKIPPED_ALPHABET, max_size=60))
def test_ftfy_leaves_every_line_the_stage_skips(line: str) -> None:
    assert encoding._plain(line)
    assert ftfy.fix_and_explain(line, encoding.FTFY_CONFIG).text == line


def test_no_three_character_window_of_skipped_text_changes_in_ftfy() -> None:
    # ftfy's badness patterns are two or three characters long, a few longer ones need
    # Cyrillic or Arabic letters: every window of skipped typography and ASCII kinds.
    alphabet = encoding.UNCHANGED_TYPOGRAPHY + "aZ1 .?\n"
    for window in map("".join, itertools.product(alphabet, repeat=3)):
        assert ftfy.fix_and_explain(window, encoding.FTFY_CONFIG).text == window, repr(window)


@given(
    st.text(alphabet=encoding.UNCHANGED_TYPOGRAPHY + "ab ", max_size=6),
    st.sampled_from(["Ã©", "â€™", "Ã", "Ø§", "&amp;", "\x1b[31m", "\ufb01", "\uff21", "\x85"]),
)
def test_a_line_with_anything_else_goes_to_ftfy(typography: str, other: str) -> None:
    assert not encoding._plain(typography + other)


def test_mojibake_beside_curly_quotes_is_still_fixed() -> None:
    assert textrepair.clean("\u201cIt\u00e2\u20ac\u2122s fine\u201d \u2014 caf\u00c3\u00a9") == (
        "\u201cIt\u2019s fine\u201d \u2014 caf\u00e9"
    )
