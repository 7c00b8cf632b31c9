"""Learning a user lexicon from an original and its spun copy, and using it."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import textrepair
from textrepair.learn import LearnedPair, learn, write_lexicon
from textrepair.lexicon import Lexicon, default_lexicon
from textrepair.spinscore import score

# An invented spinner: five substitutions no lexicon shipped with textrepair makes...
NEW = {
    "harbour": "anchorage",
    "fishermen": "anglers",
    "storm": "tempest",
    "boats": "vessels",
    "quay": "wharf",
}
# ...and some that real spinners make (rows of the shipped "news" table).
KNOWN = {
    "said": "mentioned",
    "several": "a number of",
    "local": "native",
    "according to": "in line with",
    "at least": "a minimum of",
    "because": "as a result of",
    "children": "kids",
    "homes": "properties",
    "people": "folks",
    "recent": "latest",
    "expected": "anticipated",
    "nearby": "close by",
    "weather": "climate",
    "believe": "imagine",
    "government": "authorities",
}
SPINNER = {**NEW, **KNOWN}
_SPIN_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, SPINNER), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def spin(text: str) -> str:
    """The invented spinner: every phrase it knows replaced, capitalisation kept."""

    def replace(match: re.Match[str]) -> str:
        form = SPINNER[match.group().lower()]
        return form[0].upper() + form[1:] if match.group()[0].isupper() else form

    return _SPIN_PATTERN.sub(replace, text)


ORIGINAL = (
    "The storm reached the coast late on Sunday night, and by morning the harbour was "
    "full of broken boats. Local fishermen said the damage was the worst they had seen in "
    "twenty years. According to the harbour master, at least forty boats sank at their "
    "moorings and several more were thrown onto the quay. Children from nearby homes "
    "came down to watch as the fishermen pulled ropes and nets out of the water.\n\n"
    "Many people in the town depend on the harbour for their living, because the boats "
    "bring in most of the fish sold in the region. The government has promised help, but "
    "the fishermen believe it will take months before the quay can be used again. Recent "
    "weather reports had warned of a storm, yet few expected the wind to be so strong. "
    "Several boats that were moved to the inner harbour survived without damage.\n\n"
    "On Tuesday, volunteers began clearing the quay while divers checked the hulls of the "
    "sunken boats. The fishermen said they hoped to be back at sea before the next storm, "
    "and local people brought food to the workers on the quay every evening.\n"
)

# Another text, spun by the same spinner: the user lexicon learned above should undo it.
THIRD = (
    "A second storm hit the northern harbour on Friday. Fishermen said the storm was "
    "short but violent, and several boats broke loose from the quay. According to local "
    "officials, at least twelve boats were damaged and the quay lost part of its wall. "
    "Children from nearby homes helped the fishermen carry nets away from the water, "
    "because the harbour was still flooded. The government said repairs would start soon, "
    "but many people believe the quay will stay closed for weeks. Recent weather has been "
    "unusually rough, and the fishermen expected another storm before the end of the "
    "month. Most boats now stay inside the harbour until the storm warnings are lifted.\n"
)


def _count(word: str, text: str) -> int:
    return len(re.findall(rf"\b{re.escape(word)}\b", text, re.IGNORECASE))


@pytest.fixture(scope="module")
def learned() -> list[LearnedPair]:
    return learn(ORIGINAL, spin(ORIGINAL))


@pytest.fixture(scope="module")
def lexicon_path(learned: list[LearnedPair], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "user.tsv"
    write_lexicon(learned, path, origin="original.txt spun.txt")
    return path


def test_the_shipped_lexicon_does_not_know_the_new_pairs() -> None:
    shipped = default_lexicon()
    for original, spun_form in NEW.items():
        assert original not in {
            row.original for row in shipped.candidates(spun_form) if row.source == "news"
        }


def test_learn_finds_every_substitution_with_its_count(learned: list[LearnedPair]) -> None:
    found = {(pair.spun, pair.original): pair.count for pair in learned}
    for original, spun_form in SPINNER.items():
        if _count(original, ORIGINAL):
            # alone, or inside a phrase where it neighbours another ("nearby homes")
            assert any(
                _count(original, pair.original) and _count(spun_form, pair.spun) for pair in learned
            ), (spun_form, original)
    for original, spun_form in NEW.items():
        assert found[spun_form, original] == _count(original, ORIGINAL)


def test_learn_splits_neighbouring_substitutions(learned: list[LearnedPair]) -> None:
    # "Several boats" became "A number of vessels": learned as its two parts.
    found = {(pair.spun, pair.original) for pair in learned}
    assert ("a number of", "several") in found
    assert ("a number of vessels", "several boats") not in found


def test_learn_skips_what_is_not_a_substitution() -> None:
    original = "The mayor said 40 people came. It rained, and the crowd left early."
    spun_copy = "the Mayor said 45 people came; It poured and the big crowd left very early!"
    pairs = {(p.spun, p.original) for p in learn(original, spun_copy)}
    # case-only (The/the, mayor/Mayor), numbers, punctuation, insertions: all skipped
    assert pairs == {("poured", "rained")}
    # Asked for, the inserted words come with their neighbours.
    with_insertions = {(p.spun, p.original) for p in learn(original, spun_copy, insertions=True)}
    assert with_insertions == {
        ("poured", "rained"),
        ("the big crowd", "the crowd"),
        ("left very early", "left early"),
    }


def test_an_apostrophe_typed_otherwise_is_no_substitution() -> None:
    # A page and its copy differ in typography: "We\u2019re" and "we're" are one word,
    # and they do not break the alignment around them either.
    original = "We\u2019re sure the bill passed, and it\u2019s law."
    spun = "We're sure the invoice passed, and it's regulation."
    assert learn(original, spun) == [
        LearnedPair("invoice", "bill", 1),
        LearnedPair("regulation", "law", 1),
    ]


def test_learn_keeps_names_case_sensitive_and_sentence_starts_lowercase() -> None:
    original = "Fighting in the Middle East spread. Storm damage was heavy."
    spun_copy = "Fighting in the Center East spread. Tempest harm was heavy."
    pairs = {(p.spun, p.original) for p in learn(original, spun_copy)}
    assert pairs == {("Center", "Middle"), ("tempest", "storm"), ("harm", "damage")}


def test_learn_limits_phrase_length() -> None:
    original = "He left because the long and tiring meeting had ended."
    spun_copy = "He left as a result of the short yet very pleasant session had ended."
    pairs = {(p.spun, p.original) for p in learn(original, spun_copy)}
    assert ("as a result of", "because") in pairs
    assert all(len(p.split()) <= 4 for pair in pairs for p in pair)


def test_written_lexicon_loads_with_priors(tmp_path: Path) -> None:
    pairs = [LearnedPair("vessels", "boats", 3), LearnedPair("vessels", "ships", 1)]
    path = tmp_path / "user.tsv"
    assert write_lexicon(pairs, path, origin="a.txt b.txt") == 2
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# textrepair user lexicon")
    assert "a.txt b.txt" in text
    assert "spun\toriginal\tsource\tprior\tcontext\n" in text
    rows = sorted(Lexicon.from_file(path), key=lambda row: row.original)
    assert [(r.spun, r.original, r.source, r.prior) for r in rows] == [
        ("vessels", "boats", "user", 0.5),
        ("vessels", "ships", "user", 0.5),
    ]


def test_third_text_is_spun_densely_enough_to_be_repaired() -> None:
    third = spin(THIRD)
    substitutions = sum(_count(original, THIRD) for original in SPINNER)
    assert 100 * substitutions / len(THIRD.split()) >= 10
    assert score(third).level in {"suspicious", "high"}


# Observed (see the xfail reasons): the user lexicon restores every harbour, fishermen
# and storm, two of three boats and no quay.
_NEW_PAIR_CASES = [
    pytest.param("harbour", id="harbour"),
    pytest.param("fishermen", id="fishermen"),
    pytest.param("storm", id="storm"),
    pytest.param(
        "boats",
        id="boats",
        marks=pytest.mark.xfail(
            strict=True,
            reason="2 of 3 restored: the model prefers 'a number of vessels broke' to "
            "'a number of boats broke' (gain -0.19 log10)",
        ),
    ),
    pytest.param(
        "quay",
        id="quay",
        marks=pytest.mark.xfail(
            strict=True,
            reason="the model prefers 'the wharf' to 'the quay' (gain -0.1 to -0.4 log10), "
            "which no user prior (at most 1) can outweigh",
        ),
    ),
]


@pytest.mark.parametrize("original", _NEW_PAIR_CASES)
def test_user_lexicon_restores_the_new_pairs(original: str, lexicon_path: Path) -> None:
    third = spin(THIRD)
    expected = _count(original, THIRD)
    without = textrepair.clean(third)
    with_lexicon = textrepair.clean(third, lexicon=str(lexicon_path))
    assert _count(original, without) < expected  # the shipped lexicon alone cannot
    assert _count(original, with_lexicon) == expected
    assert _count(NEW[original], with_lexicon) == 0


def test_user_rows_are_not_shadowed_by_thesaurus_rows(lexicon_path: Path) -> None:
    restored = textrepair.clean(spin(THIRD), lexicon=str(lexicon_path), thesaurus=True)
    assert _count("storm", restored) == _count("storm", THIRD)


# --------------------------------------------------------------------------- bounded alignment


def test_long_pairs_learn_what_each_part_teaches(learned: list[LearnedPair]) -> None:
    """The seed pair repeated past many alignment windows: every count times the repeats."""
    repeats = 40  # about 8,000 tokens a side, 40 windows
    pairs = learn(ORIGINAL * repeats, spin(ORIGINAL * repeats))
    assert {(p.spun, p.original): p.count for p in pairs} == {
        (p.spun, p.original): p.count * repeats for p in learned
    }


def test_learn_takes_linear_time() -> None:
    """Issue 11: the seed pair repeated to 20/82/328 KB took 0.4/3.7/>120 s.

    Timed in a fresh process: inside the whole test run the same calls doubled 2.4x
    (the suite's heap, not `learn`), while a process of its own gives about 2.0x, and up
    to 2.3x when another process shares the two cores (2026-12-03). Quadratic work
    would give 4x.
    """
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_learn import ORIGINAL, spin\n"
        "from textrepair.learn import learn\n"
        "def seconds(repeats):\n"
        "    original = ORIGINAL * repeats\n"
        "    spun_copy = spin(original)\n"
        "    best = float('inf')\n"
        "    for _ in range(3):\n"
        "        started = time.perf_counter()\n"
        "        learn(original, spun_copy)\n"
        "        best = min(best, time.perf_counter() - started)\n"
        "    return best\n"
        "print(seconds(100), seconds(200))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    small, large = map(float, result.stdout.split())
    assert large < 2.6 * small + 0.05, f"x100: {small:.2f}s, x200: {large:.2f}s"


def test_unrelated_inputs_align_fast_and_learn_nothing_wrong() -> None:
    """Two unrelated binary files once ran 6.5 minutes to 914 MB."""
    rng = random.Random(11)
    first = rng.randbytes(200_000).decode("latin-1")
    second = rng.randbytes(200_000).decode("latin-1")
    started = time.perf_counter()
    pairs = learn(first, second)
    assert time.perf_counter() - started < 20
    assert len(pairs) < 50
    story = "The storm hit the harbour. " * 50
    assert learn(story, "Completely different words appear in this other text. " * 50) == []
