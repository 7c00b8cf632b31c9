"""ftfy's own test cases, run through the whole textrepair pipeline.

The cases (copied from ftfy's repository into tests/data/ftfy-cases/) say what
``ftfy.fix_text`` returns. textrepair must give the same text, except where it
deliberately normalises differently; those differences are spelled out here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

import textrepair

CASES_DIR = Path(__file__).parent / "data" / "ftfy-cases"
CASES = [
    pytest.param(case, id=f"{path.stem}: {case['label']}")
    for path in sorted(CASES_DIR.glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
]
PASS_CASES = [param for param in CASES if param.values[0]["expect"] == "pass"]
NEGATIVE_CASES = [param for param in CASES if param.id.startswith("negative")]

# textrepair's documented normalisations that ftfy does not make.
NO_BREAK_SPACES = regex.compile(r"[\u00a0\u2000-\u200a\u202f]")
C1_CONTROLS = regex.compile(r"[\x80-\x9f]")


def with_textrepair_normalisation(ftfy_output: str) -> str:
    """ftfy's expected output, plus the normalisations textrepair adds on purpose."""
    return C1_CONTROLS.sub("", NO_BREAK_SPACES.sub(" ", ftfy_output))


def test_case_counts() -> None:
    assert len(CASES) == 161
    assert len(PASS_CASES) == 151
    assert len(NEGATIVE_CASES) == 31


@pytest.mark.parametrize("case", PASS_CASES)
def test_pass_cases_match_ftfy(case: dict[str, str]) -> None:
    # ftfy uncurls quotes by default; textrepair does so only when asked.
    fixed = textrepair.clean(case["original"], fold_quotes=True)
    assert fixed == with_textrepair_normalisation(case["fixed"])


@pytest.mark.parametrize("case", NEGATIVE_CASES)
def test_negative_cases_keep_their_words(case: dict[str, str]) -> None:
    words = regex.compile(r"\w+")
    assert words.findall(textrepair.clean(case["original"])) == words.findall(case["original"])


def test_default_keeps_curly_quotes_that_ftfy_would_uncurl() -> None:
    assert textrepair.clean("\u201cQuoted\u201d") == "\u201cQuoted\u201d"
