"""Library option checks: a wrong type or value is a clear error naming the option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import textrepair
from textrepair.options import SWITCHES, Options, resolve_options


@pytest.mark.parametrize("name", SWITCHES)
@pytest.mark.parametrize("value", ["no", "False", 0, 1, None])
def test_switches_must_be_bools(name: str, value: object) -> None:
    with pytest.raises(TypeError, match=rf"^{name} must be True or False, not "):
        textrepair.clean("x", **{name: value})
    with pytest.raises(TypeError, match=name):
        textrepair.repair("x", Options(**{name: value}))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["min_confidence", "time_budget"])
@pytest.mark.parametrize("value", ["0.5", b"1", True, [0.5]])
def test_thresholds_must_be_numbers(name: str, value: object) -> None:
    with pytest.raises(TypeError, match=rf"^{name} must be a number, not "):
        textrepair.clean("x", **{name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("min_confidence", float("nan")),
        ("min_confidence", -0.1),
        ("min_confidence", 1.5),
        ("time_budget", float("nan")),
        ("time_budget", -1),
    ],
)
def test_thresholds_out_of_range_are_value_errors(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        textrepair.clean("x", **{name: value})


def test_numbers_of_every_kind_are_accepted() -> None:
    assert resolve_options(None, {"min_confidence": 1, "time_budget": 0}).min_confidence == 1
    assert textrepair.clean("x", time_budget=float("inf"), min_confidence=0.0) == "x"


def test_options_found_valid_once_do_not_let_equal_invalid_ones_through() -> None:
    valid = Options(min_confidence=1, fix_encoding=True)
    assert resolve_options(valid, {}) is valid
    assert resolve_options(valid, {}) is valid  # the same object: not checked again
    # Equal to `valid` as tuples (True == 1), but a bool threshold and an int switch.
    with pytest.raises(TypeError, match="min_confidence"):
        resolve_options(Options(min_confidence=True, fix_encoding=True), {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fix_encoding"):
        resolve_options(Options(min_confidence=1, fix_encoding=1), {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unspin"):
        resolve_options(valid, {"unspin": "no"})


@pytest.mark.parametrize("value", [123, 0, 1, 2, b"lexicon.tsv", 1.5, True])
def test_lexicon_must_be_a_path_and_never_opens_a_descriptor(value: object) -> None:
    with pytest.raises(TypeError, match=r"^lexicon must be a file path"):
        textrepair.clean("x stated", lexicon=value)


def test_lexicon_descriptor_is_never_read(tmp_path: Path) -> None:
    """The bug: lexicon=<an int> read whatever file that descriptor had open."""
    path = tmp_path / "rows.tsv"
    path.write_text("stated\tsaid\n", encoding="utf-8")
    descriptor = os.open(path, os.O_RDONLY)
    try:
        with pytest.raises(TypeError):
            textrepair.clean("x stated", lexicon=descriptor)
        assert os.lseek(descriptor, 0, os.SEEK_CUR) == 0  # nothing read from it
    finally:
        os.close(descriptor)


def test_empty_lexicon_path_is_refused() -> None:
    with pytest.raises(ValueError, match="lexicon"):
        textrepair.clean("x", lexicon="")


def test_lexicon_accepts_str_and_pathlike(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("anchorage\tharbour\n", encoding="utf-8")
    resolved = resolve_options(None, {"lexicon": path})
    assert resolved.lexicon == str(path)
    assert textrepair.clean("x", lexicon=path) == textrepair.clean("x", lexicon=str(path))


@pytest.mark.parametrize("value", [None, 5, 1.5, ["a"]])
def test_score_refuses_what_clean_refuses(value: object) -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        textrepair.clean(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or bytes"):
        textrepair.score(value)  # type: ignore[arg-type]


def test_score_takes_bytes_as_clean_does() -> None:
    spun = "Kirby stated militia teams in japanese Syria claimed the latest assaults."
    data = spun.encode("utf-16")
    assert textrepair.score(data) == textrepair.score(spun)
    assert textrepair.score(b"abc") == textrepair.score("abc")
    assert textrepair.score(bytearray(b"caf\xe9 ok")) == textrepair.score("café ok")
