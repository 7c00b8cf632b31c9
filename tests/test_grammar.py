"""Grammar around restorations: contractions, possessives, agreement, capitals.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from textrepair.lexicon import default_lexicon
from textrepair.stages.unspin.candidates import in_context, scan
from textrepair.stages.unspin.grammar import agreeing, match_case, suffix_candidates

from .test_names import restored


def test_a_contraction_the_spinner_broke_is_restored() -> None:
    # The spinner swapped the "won" of "won't" ("gained't"): no English word.
    assert restored("The union stated it gained't back down.") == (
        "The union said it won't back down."
    )


def test_a_real_contraction_is_never_split() -> None:
    text = "They don't know and can't say, she won't either; I'd ask, we'll see."
    assert suffix_candidates(text, default_lexicon(), []) == []


def test_a_possessive_is_read_whole_by_the_model() -> None:
    text = "The firm's profits rose."
    lexicon = default_lexicon()
    [candidate] = [c for c in suffix_candidates(text, lexicon, scan(text, lexicon))]
    assert candidate.text == "firm's"
    assert ("company's",) in [o.words for o in candidate.options]


def test_only_possessives_english_writes_are_offered() -> None:
    # "at the moment" may stand for "currently", but no one writes "currently's".
    text = "At the moment's ruling stands."
    lexicon = default_lexicon()
    options = [o.text for c in suffix_candidates(text, lexicon, []) for o in c.options]
    assert "Currently's" not in options and "currently's" not in options


def test_a_pronoun_subject_decides_was_or_were() -> None:
    # The spinner writes "had been" for "were" (never, on 70 real pages, for "was"):
    # after "he" the only reading is ruled out and the words stay.
    text = "He had been arrested and they had been warned."
    lexicon = default_lexicon()
    scanned = in_context(text, scan(text, lexicon))
    assert [[o.text for o in c.options] for c in scanned] == [["", "were"], ["", "were"]]
    (they,) = agreeing(text, scanned)
    assert they.text == "had been" and text[they.start - 5 : they.start] == "they "
    assert "He had been arrested and they were warned." in restored(text)


@pytest.mark.parametrize(
    "deadline",
    [
        "within 30 days",
        "within 24 hours",
        "within two years",
        "within thirty-five minutes",
        "within a year",
        "within hours",
    ],
)
def test_within_before_a_span_of_time_stays(deadline: str) -> None:
    # A deadline is the author's "within" (court and police copy write it); the spinner's
    # "within" stands for "in" before a place or group, and that one is still restored.
    assert restored(
        f"The appeal must be lodged {deadline}, the judge stated within the court."
    ) == (f"The appeal must be lodged {deadline}, the judge said in the court.")


def test_within_before_other_numbers_is_still_a_reading_of_in() -> None:
    text = "He was elected within 2019 and served within three committees."
    candidates = agreeing(text, in_context(text, scan(text, default_lexicon())))
    readings = [[o.text for o in c.options] for c in candidates if c.text == "within"]
    assert readings and all("in" in options for options in readings)


def test_the_spinners_unresolved_braces_are_dropped_in_a_spun_document() -> None:
    text = "The plan costs trillions of {dollars} in new debt, demanding {that a} vote."
    assert restored(text) == text.replace("{", "").replace("}", "")


def test_braces_stay_in_clean_text_and_in_code() -> None:
    clean = "The template fills in {name} and {count} for each user."
    assert textrepair.clean(clean) == clean
    # In a spun document too, braces outside prose stay: a format string, a dict.
    code = 'Call format("{name}") or use {name: 1} there.'
    assert restored(code) == code


def test_the_spinners_figures_for_number_words_are_spelled_out() -> None:
    assert restored("Officers stated 4 suspects fled. 3 of them were caught.") == (
        "Officials said four suspects fled. Three of them were caught."
    )


def test_digits_the_spinner_wrote_as_words_come_back() -> None:
    assert restored("Rents rose three.5% after 1.four% and two% in a three,086-page invoice.") == (
        "Rents rose 3.5% after 1.4% and 2% in a 3,086-page bill."
    )


@pytest.mark.parametrize(
    "figure",
    [
        "The storm became a Class 3 hurricane.",  # after a name
        "The vote is due by July 4 at noon.",  # a date
        "About 1 in 3 voters agreed.",  # a ratio
        "The fire burned 5 miles of forest.",  # a measure
        "Talks went on for 8 hours overnight.",  # a span of time
        "Prices rose 2 percent in March.",
        "He wore No. 7 in every game.",
        "The figures are on page 5 of the report.",  # a label
        "Victims as young as 8 years old were found.",  # an age
        "Officers seized 1 pound of cocaine.",
    ],
)
def test_figures_that_news_style_writes_stay_in_a_spun_document(figure: str) -> None:
    # Other words may be restored ("Class" -> Category), never the figures.
    assert re.findall(r"\d+", restored(figure)) == re.findall(r"\d+", figure)


def test_figures_stay_in_clean_text() -> None:
    clean = "The officers stated that 4 individuals left the residence at 9 p.m."
    assert textrepair.clean(clean) == clean
    # Number words glued to figures only in spun text; a file name is no figure.
    assert restored("Open one.two.txt and two.three there.") == (
        "Open one.two.txt and two.three there."
    )


def test_a_name_keeps_every_capital() -> None:
    assert match_case("Financial Coverage", "monetary policy", "financial coverage") == (
        "Monetary Policy"
    )
    assert match_case("stated", "said", "stated") == "said"


CLEAN_SENTENCES = [
    "The Department of Justice said on May 12 that it would appeal.",
    "He had been warned twice, and they were told to leave.",
    "The nation's courts don't sit on Sundays, and it won't change.",
    "The firm's lawyers said they'd file the brief by Friday.",
    "It might rain, but the House Judiciary Committee will meet.",
    "The Attorney General's office said it hasn't decided.",
    "Might the Senate Majority Leader call a vote in May 2025?",
]


@settings(max_examples=40)
@given(st.lists(st.sampled_from(CLEAN_SENTENCES), min_size=1, max_size=6))
def test_clean_text_is_unchanged(sentences: list[str]) -> None:
    text = " ".join(sentences)
    assert textrepair.clean(text) == text


@pytest.mark.parametrize(
    ("perfect", "finished"),
    [
        ("a father and son have been wounded", "on Saturday"),
        ("the troops have been deployed", "final week"),
        ("two officers have been hurt", "in 2023"),
    ],
)
def test_a_present_perfect_with_a_finished_time_is_the_spinners_were(
    perfect: str, finished: str
) -> None:
    text = f"Officials stated {perfect} {finished}. Talks have been held for months."
    scanned = in_context(text, scan(text, default_lexicon()))
    perfects = [c.start for c in scanned if c.text == "have been"]
    assert len(perfects) == 2  # both are candidates with the reading "were" before...
    readings = {c.start: [o.text for o in c.options] for c in agreeing(text, scanned)}
    assert "were" in readings[perfects[0]]  # ...a finished time is named: it is no perfect
    assert "were" not in readings.get(perfects[1], [])  # "for months": a perfect can be


def test_the_spinners_were_comes_back_only_where_a_finished_time_is_named() -> None:
    spun = (
        "The Home voted on Tuesday, lawmakers stated, and a father and son have been wounded on "
        "Saturday in japanese Syria after latest assaults. Talks have been held for months."
    )
    assert restored(spun) == (
        "The House voted on Tuesday, lawmakers said, and a father and son were wounded on "
        "Saturday in eastern Syria after recent attacks. Talks have been held for months."
    )
