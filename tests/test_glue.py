"""The glue stage: glued tokens are split, names and code stay whole."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from tests.strategies import PLAIN_WORDS, clean_prose
from textrepair.edits import Edit, apply_edits
from textrepair.options import Options
from textrepair.stages import glue, glue_tables

CASES_PATH = Path(__file__).parent / "data" / "glue-cases.json"
CASES = [
    pytest.param(case, id=case["label"])
    for case in json.loads(CASES_PATH.read_text(encoding="utf-8"))
]
OPTIONS = Options()


def fix(text: str) -> str:
    return apply_edits(text, glue.find_edits(text, OPTIONS))


def assert_well_formed(text: str, edits: list[Edit]) -> None:
    position = 0
    for edit in edits:
        assert position <= edit.start < edit.end <= len(text)
        assert text[edit.start : edit.end] == edit.before
        assert edit.stage == "glue" and edit.reason
        assert 0.0 <= edit.confidence <= 1.0
        assert edit.after.replace(" ", "") == edit.before.replace(" ", "")
        position = edit.end


def test_case_file_covers_both_directions() -> None:
    labels = [param.values[0]["label"] for param in CASES]
    assert sum(label.startswith("split:") for label in labels) == 20
    assert sum(label.startswith("keep:") for label in labels) == 99


@pytest.mark.parametrize("case", CASES)
def test_cases(case: dict[str, str]) -> None:
    edits = glue.find_edits(case["original"], OPTIONS)
    assert_well_formed(case["original"], edits)
    assert apply_edits(case["original"], edits) == case["fixed"]


@pytest.mark.parametrize("case", CASES)
def test_cases_are_idempotent(case: dict[str, str]) -> None:
    assert glue.find_edits(case["fixed"], OPTIONS) == []


def test_edit_records_the_glued_span_only() -> None:
    text = "said reporters.The minister"
    assert glue.find_edits(text, OPTIONS) == [
        Edit(
            5,
            18,
            "reporters.The",
            "reporters. The",
            "glue",
            "glued sentences split: space after sentence punctuation",
            glue.SENTENCE_CONFIDENCE,
        )
    ]


def test_possessive_stays_outside_the_edit() -> None:
    (edit,) = glue.find_edits("governmentofficials's", OPTIONS)
    assert (edit.start, edit.end, edit.after) == (0, 19, "government officials")


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("airstrikesFeb 15", glue.DATELINE_CONFIDENCE),
        ("airstrikesFeb", glue.OPENER_CONFIDENCE),
        ("reporters.The", glue.SENTENCE_CONFIDENCE),
        ("targetIran", glue.CAMEL_CONFIDENCE),
        ("governmentofficials", glue.RUN_CONFIDENCE),
    ],
)
def test_confidence_follows_the_evidence(text: str, confidence: float) -> None:
    (edit,) = glue.find_edits(text, OPTIONS)
    assert edit.confidence == confidence


def test_keep_list_is_read_and_lowercased() -> None:
    assert {"wikihow", "deviantart"} <= glue._keep()
    assert all(name == name.lower() and " " not in name for name in glue._keep())


# Identifiers, handles and brands from real pages (issue 12: a JavaScript tutorial's
# sayHello, user names, airline and shop names) and the classic shapes: none is glue.
KEPT_WHOLE = (
    "function sayHello() is called on load, then sayHello again.",
    "Call document.getElementById to find it; getElementById returns null otherwise.",
    "Posted by johnDoe and janeSmith, replying to @johnDoe.",
    "We flew airBaltic to Riga and sold the old phone to musicMagpie.",
    "My iPhone, bought on eBay, plays YouTube.",
)


@pytest.mark.parametrize("text", KEPT_WHOLE)
def test_identifiers_handles_and_brands_stay_whole(text: str) -> None:
    assert glue.find_edits(text, OPTIONS) == []
    assert textrepair.clean(text) == text


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        # A sentence boundary between the two words (an element end, a new element).
        ("Jets hit targetIran-backed militias", "Jets hit target Iran-backed militias"),
        ("after missile strikesDamascus said", "after missile strikes Damascus said"),
        # A pair the model knows.
        ("a statement by the presidentBiden said", "a statement by the president Biden said"),
        # Dates and sentence openers need no more evidence.
        ("airstrikesFeb 15", "airstrikes Feb 15"),
        ("asked reportersThe minister", "asked reporters The minister"),
    ],
)
def test_glue_with_evidence_is_split(text: str, fixed: str) -> None:
    assert fix(text) == fixed


def test_a_name_is_split_off_only_on_the_models_evidence() -> None:
    # The same shape, word + name, both known and the whole unknown: the model's reading
    # decides. airBaltic gives no sentence boundary and no known pair.
    assert glue._name_like("baltic") and glue._name_like("iran")
    assert not glue._glued_by_evidence("air", "baltic")
    assert glue._glued_by_evidence("target", "iran")
    assert glue._glued_by_evidence("president", "biden")


def test_shipped_pair_table_is_a_fresh_build_of_symspellpys_list() -> None:
    # The table is built by tools/build_glue_pairs.py; a stale one would change splits.
    tool = Path(__file__).parent.parent / "tools" / "build_glue_pairs.py"
    check = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    followers, pairs = glue_tables.pair_lists()
    assert {"storage", "child"} <= followers.keys() and "iran" not in followers
    assert "los angeles" in pairs and all(pair.count(" ") == 1 for pair in pairs)


def test_clean_text_without_candidates_loads_no_dictionary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def forbidden() -> None:
        raise AssertionError("dictionary loaded for clean text")

    monkeypatch.setattr(glue, "_words", forbidden)
    monkeypatch.setattr(glue, "_segment", forbidden)
    assert glue.find_edits("The US military said it carried out air strikes.\n", OPTIONS) == []


def test_junk_runs_are_not_segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> None:
        raise AssertionError("segmented a run no split could explain")

    monkeypatch.setattr(glue, "_segment", forbidden)
    assert glue.find_edits("aeaeampaeampaea xqzvbnmwrtkpl", OPTIONS) == []


def test_long_known_words_are_not_segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> None:
        raise AssertionError("segmented a known word")

    monkeypatch.setattr(glue, "_segment", forbidden)
    text = "Internationalisation of responsibilities, and counterintelligence."
    assert glue.find_edits(text, OPTIONS) == []


def test_overlong_tokens_are_left_alone() -> None:
    text = "x" * glue.MAX_TOKEN_LENGTH + "airstrikesFeb"
    assert glue.find_edits(text, OPTIONS) == []


def test_pipeline_runs_the_stage_and_can_be_switched_off() -> None:
    text = "Caf\u00c3\u00a9 airstrikesFeb 15"
    result = textrepair.repair(text)
    assert result.text == "Café airstrikes Feb 15"
    assert [edit.stage for edit in result.edits] == ["encoding", "glue"]
    assert result.undo() == text
    assert textrepair.clean("airstrikesFeb 15", split_glued=False) == "airstrikesFeb 15"


# No deadline: the first example may pay for loading the word lists once.
@settings(max_examples=60, deadline=None)
@given(clean_prose())
def test_clean_prose_is_never_split(text: str) -> None:
    assert glue.find_edits(text, OPTIONS) == []


@st.composite
def glued_prose(draw: st.DrawFn) -> tuple[str, set[int]]:
    """Prose with some spaces dropped and the next word capitalised, as a scraper
    glues elements; also the positions, in the glued text, of the original gaps."""
    words = draw(st.lists(st.sampled_from(PLAIN_WORDS), min_size=2, max_size=20))
    glued = draw(st.lists(st.booleans(), min_size=len(words) - 1, max_size=len(words) - 1))
    text = words[0]
    gaps = {len(text)}
    for word, glue_it in zip(words[1:], glued, strict=True):
        text += word.capitalize() if glue_it else " " + word
        gaps.add(len(text) - len(word))
    return text, gaps


@settings(max_examples=100, deadline=None)
@given(glued_prose())
def test_splits_fall_only_between_words_and_are_idempotent(
    sample: tuple[str, set[int]],
) -> None:
    text, gaps = sample
    edits = glue.find_edits(text, OPTIONS)
    assert_well_formed(text, edits)
    for edit in edits:
        inserted = [i for i, char in enumerate(edit.after) if char == " "]
        # each inserted space sits where two original words met
        for offset, index in enumerate(inserted):
            assert edit.start + index - offset in gaps
    fixed = apply_edits(text, edits)
    assert glue.find_edits(fixed, OPTIONS) == []


@pytest.fixture(scope="module")
def symspell_segmenter() -> Any:
    """symspellpy's own segmenter over the same word list (slow to build: once)."""
    symspellpy = pytest.importorskip("symspellpy")
    segmenter = symspellpy.SymSpell(max_dictionary_edit_distance=0)
    words = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    with importlib.resources.as_file(words) as path:
        segmenter.load_dictionary(path, 0, 1)
    return segmenter


_COMMON = sorted(glue._common_words())
_ANY_WORD = sorted(word for word in glue._words() if word.isascii() and word.isalpha())


@settings(max_examples=300)
@given(
    parts=st.lists(st.sampled_from(_COMMON) | st.sampled_from(_ANY_WORD), min_size=1, max_size=4),
    junk=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=3),
)
def test_segmentation_is_symspells(symspell_segmenter: Any, parts: list[str], junk: str) -> None:
    token = "".join(parts) + junk
    expected = symspell_segmenter.word_segmentation(token, max_edit_distance=0)
    assert glue._segment(token) == expected.corrected_string.split()
