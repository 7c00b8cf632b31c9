"""The public API: clean, repair, options."""

from __future__ import annotations

import pytest

import textrepair


def test_issue_example() -> None:
    assert textrepair.clean("Caf\u00c3\u00a9 airstrikesFeb 15") == "Café airstrikes Feb 15"


def test_clean_is_repair_text() -> None:
    text = "Caf\u00c3\u00a9 &amp; bar\r\n"
    assert textrepair.clean(text) == textrepair.repair(text).text == "Café & bar\n"


def test_repair_explains_each_edit() -> None:
    result = textrepair.repair("x\u00a0y")
    (edit,) = result.edits
    assert (edit.start, edit.end, edit.before, edit.after, edit.stage) == (
        1,
        2,
        "\xa0",
        " ",
        "normalise",
    )
    assert edit.reason and edit.confidence == 1.0


def test_stage_can_be_switched_off() -> None:
    assert textrepair.clean("x\u00a0y", normalise=False) == "x\u00a0y"
    options = textrepair.Options(fix_encoding=False)
    assert textrepair.clean("Caf\u00c3\u00a9", options) == "Caf\u00c3\u00a9"


def test_typography_is_kept_unless_folding_is_asked_for() -> None:
    text = "\u201cYes\u201d \u2014 it\u2019s"
    assert textrepair.clean(text) == text
    assert textrepair.clean(text, fold_quotes=True, fold_dashes=True) == '"Yes" - it\'s'


def test_bytes_keep_every_byte() -> None:
    assert textrepair.clean(b"caf\xe9 \xff ok\n") == "café ÿ ok\n"
    assert textrepair.clean("naïve".encode("utf-16")) == "naïve"


def test_unknown_option_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match=r"unknown option.*fold_quote"):
        textrepair.clean("x", fold_quote=True)


def test_bad_threshold_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="min_confidence"):
        textrepair.clean("x", min_confidence=2)


def test_non_text_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        textrepair.clean(42)  # type: ignore[arg-type]
