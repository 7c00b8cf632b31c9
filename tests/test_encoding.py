"""The encoding stage's shortcut: which lines it may leave without asking ftfy."""

from __future__ import annotations

import itertools

import ftfy
import pytest
from ftfy.fixes import unescape_html
from hypothesis import given
from hypothesis import strategies as st

import textrepair
from textrepair.edits import diff_edits
from textrepair.stages import encoding, ftfy_fix

# ASCII without "&" and ESC, plus the typography the stage lets past ftfy.
SKIPPED_ALPHABET = (
    "".join(chr(code) for code in range(128) if chr(code) not in "&\x1b")
    + encoding.UNCHANGED_TYPOGRAPHY
)


@given(st.text(alphabet=SKIPPED_ALPHABET, max_size=60))
def test_ftfy_leaves_every_line_the_stage_skips(line: str) -> None:
    assert encoding._plain(line)
    assert ftfy.fix_and_explain(line, ftfy_fix.FTFY_CONFIG).text == line


def test_no_three_character_window_of_skipped_text_changes_in_ftfy() -> None:
    # ftfy's badness patterns are two or three characters long, a few longer ones need
    # Cyrillic or Arabic letters: every window of skipped typography and ASCII kinds.
    alphabet = encoding.UNCHANGED_TYPOGRAPHY + "aZ1 .?\n"
    for window in map("".join, itertools.product(alphabet, repeat=3)):
        assert ftfy.fix_and_explain(window, ftfy_fix.FTFY_CONFIG).text == window, repr(window)


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


# --------------------------------------------------------------------------- nested entities


def _ftfy_rounds_of_unescape(text: str) -> str:
    """ftfy's entity decoding repeated until nothing changes (quadratic on deep nesting)."""
    while (decoded := unescape_html(text)) != text:
        text = decoded
    return text


@given(st.text(alphabet="&;#amp38x2AMPltgquoesmi0 é", max_size=80))
def test_linear_unescape_reaches_ftfys_fixed_point(text: str) -> None:
    assert ftfy_fix.unescape_fully(text) == _ftfy_rounds_of_unescape(text)


@given(
    st.lists(
        st.sampled_from(["&", "amp;", "#38;", "#x26;", "AMP;", "semi;", "&amp", "lt;", "eacute;"]),
        max_size=40,
    )
)
def test_linear_unescape_on_entity_soup(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert ftfy_fix.unescape_fully(text) == _ftfy_rounds_of_unescape(text)


NESTED = [
    "&" + "amp;" * 40 + "eacute; caf&amp;amp;eacute;",
    "CafÃ© " + "&" + "amp;" * 30 + "quot;x" + "&amp;" * 3,
    "&#38;" + "#38;" * 20 + "#8217;s",
    "&" + "\uff41\uff4d\uff50\uff1b" * 20 + "lt;",  # wide "amp;": ftfy makes it ASCII first
    "&#65286;" + "#65286;" * 20 + "gt;",  # a wide "&" by number
    "&" + "am\x1b[mp;" * 10 + "x",  # ftfy removes the terminal escapes first
]


@pytest.mark.parametrize("text", NESTED)
def test_deep_nesting_gives_ftfys_text(text: str) -> None:
    assert ftfy_fix.deeply_nested(text)
    expected = ftfy.fix_and_explain(text, ftfy_fix.FTFY_CONFIG).text
    assert ftfy_fix.fix(text)[0] == expected
    result = textrepair.repair(text, normalise=False, split_glued=False, unspin=False)
    assert result.text == expected
    assert result.undo() == text


@pytest.mark.parametrize(
    "text", ["&amp;amp;eacute;", "Caf&Atilde;&copy; &amp;amp;", "a < &amp;amp;amp;amp;amp;"]
)
def test_shallow_nesting_is_left_to_ftfy_alone(text: str) -> None:
    """Up to MAX_ENTITY_ROUNDS levels (and lines with "<") ftfy sees the line as it is."""
    assert not ftfy_fix.deeply_nested(text)
    fixed, steps = ftfy.fix_and_explain(text, ftfy_fix.FTFY_CONFIG)
    assert ftfy_fix.fix(text) == (fixed, [(s.action, s.parameter) for s in steps])


# --------------------------------------------------------------------------- fixes to edits

WORDS = [
    "the",
    "café",
    "naïve",
    "it\u2019s",
    "€5",
    "\u201cquoted\u201d",
    "Zürich",
    "São",
    "x" * 40 + "é",
    "a,",
]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), st.sampled_from([" ", "  ", "\t"])
)
def test_paired_edits_are_the_edits_difflib_makes(words: list[str], space: str) -> None:
    """Changed words apart from each other: one edit per word, exactly as `diff_edits`."""
    clean = space.join(word if index % 2 else "the" for index, word in enumerate(words))
    damaged = clean.encode("utf-8").decode("sloppy-windows-1252")
    paired = encoding._paired_edits(damaged, clean, 7, "why")
    expected = diff_edits(damaged, clean, offset=7, stage=encoding.NAME, reason="why")
    assert paired == expected


def test_paired_edits_give_way_to_difflib_where_spacing_changed() -> None:
    assert encoding._paired_edits("a &amp; b", "a & b", 0, "why") is not None
    assert encoding._paired_edits("a&nbsp;b", "a\u00a0b", 0, "why") is None  # a space made
    assert encoding._paired_edits("a&#32;b c", "a b c", 0, "why") is None
    assert encoding._paired_edits("a  b", "a b", 0, "why") is None


def test_neighbouring_fixed_words_are_separate_edits() -> None:
    """difflib made one edit across the unchanged space here; pairing makes two."""
    text = "middle,â€\x9d \u00e2\u201a\u00ac5 ok"
    result = textrepair.repair(text, normalise=False, split_glued=False, unspin=False)
    assert [(e.before, e.after) for e in result.edits] == [
        ("middle,â€\x9d", "middle,”"),
        ("\u00e2\u201a\u00ac5", "€5"),
    ]
    assert result.undo() == text


def test_c1_controls_are_read_as_windows_1252_and_the_undefined_ones_removed() -> None:
    """What docs/how-it-works.md says of C1 controls."""
    assert textrepair.clean("a\x85 \x93q\x94 \x80") == "a\u2026 \u201cq\u201d \u20ac"
    assert textrepair.clean("a\x81\x8d\x8f\x90\x9db") == "ab"
    assert textrepair.clean("a\x85b\x93", fix_encoding=False) == "ab"
