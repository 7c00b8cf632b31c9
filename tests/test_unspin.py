"""The unspin stage and the spin score, on text written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import textrepair
from textrepair.evaluation import real_texts

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# A short news item, spun the way the news spinner does it (written for this test).
SPUN = (
    "The Home voted on Tuesday to approve the invoice, which lawmakers stated would fund "
    "well being care for veterans. Republican leaders stated the measure had been handed "
    "after months of talks. In an announcement, the Division of Well being stated it might "
    "start the course of instantly. Critics stated the invoice doesn't go far sufficient, "
    "however supporters stated it's a primary step. The Lawyer Basic additionally stated his "
    "workplace would evaluation the regulation earlier than it takes impact. An professional "
    "on the Brookings Establishment stated the plan would value about $4bn over the subsequent "
    "12 months, and warned that the Center East funding had been left out."
)
NAMES = "Shoppers at Home Depot and volunteers from the Salvation Army met the Royal Navy. "

# Police, court and government copy of our own: it genuinely writes what a spinner writes
# ("stated", "individuals", "residence", "officers", "within", "vehicle", "authorities").
OFFICIAL = [
    "Officers stated that the individuals left the residence before deputies arrived.",
    "Charges are pending.",
    "Officers responded to a residence on Elm Street at about 2 a.m. after a neighbour "
    "reported a disturbance. Upon arrival, officers located two individuals inside the "
    "residence. One of the individuals was transported to a local hospital. Authorities "
    "stated that a vehicle registered to the residence was also searched. Officers received "
    "information that the suspects had left the area within minutes. The Division of "
    "Criminal Investigations is assisting. Charges are pending. Authorities did not "
    "immediately identify the individuals.",
    "A Navy sailor was arrested Friday after officers stopped a vehicle within the city "
    "limits. Authorities stated the sailor was carrying a concealed weapon. Charges are "
    "pending, according to the police department.",
    "The defendant stated in court that he had been at his residence at the time. "
    "Prosecutors stated that the individuals involved had prior convictions. The judge "
    "ordered the defendant held without bail. Sentencing is scheduled for March. Charges "
    "are pending against two other individuals.",
    "Deputies stated that the vehicle was recovered within hours. Officers located the "
    "individuals at a residence nearby. Authorities are asking anyone with information to "
    "contact the sheriff's office.",
    "The agency stated that individuals who received the notice within 30 days may appeal. "
    "Officers of the department will review each residence permit application.",
    # UK government copy writes "Home" where a spinner writes it for "House".
    "The Home Office stated that the individuals had been notified.",
    "The Home Secretary stated that officers would remain at the residence overnight.",
    "Police stated that the invoice was found inside the vehicle.",
]


@pytest.fixture(scope="module")
def restored() -> str:
    return textrepair.clean(SPUN)


@pytest.mark.parametrize(
    "phrase",
    [
        "The House voted",  # capitalised name-like form, capitals carried over
        "approve the bill",
        "lawmakers said",
        "fund health care",  # multi-word spun form
        "In a statement",  # article fixed for the restored word
        "the Department of Health said",  # multi-word name
        "start the process",
        "The Attorney General also said",
        "his office",
        "An expert",  # the spinner's grammar slip disappears with the original
        "over the next year",  # "subsequent 12 months"
        "the Middle East funding",
    ],
)
def test_spun_phrases_are_restored(restored: str, phrase: str) -> None:
    assert phrase in restored


def test_real_names_stay_whole_in_a_spun_document() -> None:
    assert textrepair.clean(NAMES + SPUN).startswith(NAMES)


def test_restorations_are_explained_edits() -> None:
    result = textrepair.repair(SPUN)
    unspin = [edit for edit in result.edits if edit.stage == "unspin"]
    assert len(unspin) >= 20
    for edit in unspin:
        assert SPUN[edit.start : edit.end] == edit.before
        assert "lexicon" in edit.reason and "spin level high" in edit.reason
        assert 0.5 <= edit.confidence <= 1.0
    assert result.undo() == SPUN


def test_min_confidence_and_switches() -> None:
    assert textrepair.clean(SPUN, unspin=False) == SPUN
    strict = textrepair.repair(SPUN, min_confidence=0.99)
    lenient = textrepair.repair(SPUN)
    assert 0 < len(strict.edits) < len(lenient.edits)
    assert all(edit.confidence >= 0.99 for edit in strict.edits)


def test_an_exhausted_time_budget_leaves_the_words() -> None:
    assert textrepair.clean(SPUN, time_budget=0.0) == SPUN
    with pytest.raises(ValueError, match="time_budget"):
        textrepair.clean(SPUN, time_budget=-1)


def test_spin_score_of_spun_and_clean_text() -> None:
    spun = textrepair.score(SPUN)
    assert spun.level == "high" and spun.score > 0.9
    assert any(
        item.text == "imaginative and prescient"
        for item in textrepair.score("The imaginative and prescient was stated. " * 5).evidence
    )
    clean = textrepair.score("The committee met on Tuesday and approved the bill.")
    assert clean.level == "clean" and clean.evidence == ()


def test_clean_corpus_texts_are_unchanged() -> None:
    for path in sorted((CORPUS / "clean").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        changed = [e for e in textrepair.repair(text).edits if e.stage == "unspin"]
        assert changed == [], path.name


def test_spin_score_ranks_every_spun_text_above_every_clean_text() -> None:
    spun = [
        textrepair.score(p.read_text(encoding="utf-8")).score
        for p in (CORPUS / "spun").glob("*.spun.txt")
    ]
    clean = [
        textrepair.score(p.read_text(encoding="utf-8")).score
        for p in (CORPUS / "clean").glob("*.txt")
    ]
    assert len(spun) >= 13 and len(clean) >= 13
    assert min(spun) > max(clean)
    assert min(spun) > max(textrepair.score(text).score for text in OFFICIAL)
    real = CORPUS / "real"
    if (real / "manifest.tsv").is_file():
        rows = real_texts(real)
        assert min(spun) > max(textrepair.score((real / r["file"]).read_text()).score for r in rows)


def test_a_near_tie_between_two_originals_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from textrepair.lexicon import Substitution
    from textrepair.stages.unspin import decoding
    from textrepair.stages.unspin.candidates import Candidate, Option
    from textrepair.stages.unspin.decoding import ORIGINAL_TIE_LOG_RATIO, decide_alone

    monkeypatch.setattr(decoding, "news_log_weight", lambda words: 0.0)  # the model alone

    def option(original: str) -> Option:
        row = Substitution("method", original, "news", 0.5, "")
        return Option(original, (original,), 0.0, row, 0.0)

    keep = Option("", ("method",), 0.0, None)
    candidate = Candidate(0, 6, "method", (keep, option("way"), option("manner")), (), ())
    no_rate = [0.0, 0.0, 0.0]
    clear = decide_alone(candidate, (1.0 + 2 * ORIGINAL_TIE_LOG_RATIO, 1.0), no_rate)
    assert clear is not None and clear.option.text == "way"
    assert decide_alone(candidate, (1.0 + ORIGINAL_TIE_LOG_RATIO / 2, 1.0), no_rate) is None
    alone = Candidate(0, 6, "method", (keep, option("way")), (), ())
    assert decide_alone(alone, (1.0,), [0.0, 0.0]) is not None  # one original: no rival


def test_news_copy_chooses_among_originals_and_only_holds_back_a_restoration() -> None:
    from textrepair.lexicon import Substitution
    from textrepair.stages.unspin.candidates import Candidate, Option
    from textrepair.stages.unspin.decoding import (
        NEWS_DAMPING,
        Decision,
        choose_original,
        decide_alone,
        news_log_weight,
    )

    def option(original: str) -> Option:
        row = Substitution("method", original, "news", 0.5, "")
        return Option(original, (original,), 0.0, row, 0.0)

    # The model expects "way" in news far more often than the mined originals write it,
    # and "process" far less often.
    way, process = news_log_weight(("way",)), news_log_weight(("process",))
    assert way < -0.5 and process > 0.5
    assert news_log_weight(("way", "of")) == 0.0  # phrases: no count
    chosen, readings = choose_original([-10.0, -8.0, -8.5], [way, process])
    assert chosen == 2 and readings[0] == -10.0 and readings[2] == -8.0  # the best's score
    assert choose_original([-10.0, -8.0, -10.0], [way, process])[0] == 1  # the model counts

    keep = Option("", ("method",), 0.0, None)

    def alone(original: str, gain: float) -> Decision | None:
        candidate = Candidate(0, 6, "method", (keep, option(original)), (), ())
        return decide_alone(candidate, (gain,), [0.0, 0.0])

    held_back = -NEWS_DAMPING * way
    assert alone("way", held_back / 2) is None and alone("way", held_back * 2) is not None
    assert alone("process", -0.1) is None  # never pushed: the model's margin decides


def test_an_article_is_fixed_only_on_the_same_line() -> None:
    from textrepair.stages.unspin.grammar import ARTICLE_BEFORE

    def article(text: str) -> str | None:
        start = text.index("professional")
        found = ARTICLE_BEFORE.search(text, max(0, start - 4), start)
        return found.group(0) if found else None

    assert article("hired an professional") == "an "
    assert article("hired an \nprofessional") is None  # the edit must not swallow the break
    assert article("Ivan professional") is None


def test_a_spun_word_that_ends_the_text_is_a_candidate() -> None:
    """The end of the text is a boundary, not the inside of an address."""
    from textrepair.lexicon import selected_lexicon
    from textrepair.stages.unspin.candidates import find_candidates

    sentence = "The Home voted to approve the invoice, lawmakers stated"
    found = [c.text for c in find_candidates(sentence, selected_lexicon())]
    assert found[-1] == "stated"
    text = SPUN + " " + sentence  # long enough to be judged spun
    assert textrepair.clean(text) + "." == textrepair.clean(text + ".")
    assert textrepair.clean(text).endswith("The House voted to approve the bill, lawmakers said")
    assert [c.text for c in find_candidates("see example.com/stated", selected_lexicon())] == []


def test_words_in_capitals_are_no_candidates() -> None:
    """The spinner leaves capitals alone: "FILE -" and "TV" are the author's, "US" the
    country (never the pronoun's readings)."""
    from textrepair.lexicon import selected_lexicon
    from textrepair.stages.unspin.candidates import find_candidates

    caption = "FILE - US officials stated the TV advert had been pulled. I stated it."
    assert [c.text for c in find_candidates(caption, selected_lexicon())] == [
        "stated",
        "had been",
        "stated",
    ]
    restored = textrepair.clean(SPUN + " " + caption)
    assert restored.endswith("FILE - US officials said the TV advert had been pulled. I said it.")


def test_a_lowercase_part_of_a_hyphenated_word_is_no_candidate() -> None:
    """The spinner takes "nation-shaping" whole; a capitalised part is a name it swaps."""
    from textrepair.lexicon import selected_lexicon
    from textrepair.stages.unspin.candidates import find_candidates

    sentence = "The nation-shaping Medicaid-related invoice was Home-passed, officers stated."
    found = [c.text for c in find_candidates(sentence, selected_lexicon())]
    assert "nation" not in found and "related" not in found
    assert {"invoice", "Home", "stated"} <= set(found)
    assert "nation-shaping Medicaid-related bill was House-passed" in textrepair.clean(
        SPUN + " " + sentence
    )


def test_a_scan_for_some_ends_finds_the_same_candidates_there() -> None:
    from textrepair.lexicon import selected_lexicon
    from textrepair.stages.unspin.candidates import scan

    text = "The Home stated the invoice would pass, officers stated on Tuesday."
    every = scan(text, selected_lexicon())
    ends = {c.end for c in every if c.text in ("invoice", "officers")}
    assert len(ends) == 2
    assert scan(text, selected_lexicon(), ending=ends.__contains__) == [
        c for c in every if c.end in ends
    ]


def test_a_user_row_for_an_article_does_not_collide_with_the_article_fix(tmp_path: Path) -> None:
    """A user row "a -> the" before a restored "workplace -> office" (which would also
    turn "a" into "an") must not give two edits of the same "a"."""
    lexicon = tmp_path / "articles.tsv"
    lexicon.write_text("a\tthe\n", encoding="utf-8")
    text = "Of a workplace. " + SPUN
    result = textrepair.repair(text, lexicon=str(lexicon))
    assert result.undo() == text
    assert result.text.startswith("Of the office.")


@pytest.mark.parametrize("end", [".", ""])
def test_a_short_spun_sentence_is_restored_alone(end: str) -> None:
    """The README's example: nine words, "Home" where "House" reads 800 times likelier,
    which clean text (117 "Home"s in the real corpus) never writes at such a ratio."""
    text = "The Home voted to approve the invoice, lawmakers stated" + end
    assert textrepair.clean(text) == "The House voted to approve the bill, lawmakers said" + end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The short examples of docs/quickstart.md.
        (
            "In an announcement, the Division of Well being stated militia teams in japanese "
            "Syria claimed accountability for latest assaults.",
            "In a statement, the Department of Health said militia groups in eastern Syria "
            "claimed responsibility for recent attacks.",
        ),
        (
            "In an announcement, the Division of Protection stated the army motion was the "
            "primary ordered by Biden.",
            "In a statement, the Department of Defense said the military action was the first "
            "ordered by Biden.",
        ),
        (
            "CafÃ© owners stated militia teams in japanese Syria had seen latest assaults, the "
            "Division of Well being stated.",
            "Café owners said militia groups in eastern Syria had seen recent attacks, the "
            "Department of Health said.",
        ),
        # The original news copy writes, of several: "doubtless" is the spinner's "likely"
        # and, once, "probably", which the model prefers (decoding.choose_original).
        (
            "The Division of Justice stated the suspects would doubtless seem in courtroom on"
            " Monday, in response to officers.",
            "The Department of Justice said the suspects would likely appear in court on Monday,"
            " according to officials.",
        ),
        # One page's headline gave "strain" for "Pressure": no row may carry its capital.
        (
            "Hospitals are underneath strain, the Division of Well being stated on Monday.",
            "Hospitals are under pressure, the Department of Health said on Monday.",
        ),
    ],
)
def test_short_spun_sentences_are_restored(text: str, expected: str) -> None:
    assert textrepair.clean(text) == expected


def test_a_users_row_is_restored_in_a_short_spun_sentence(tmp_path: Path) -> None:
    lexicon = tmp_path / "site.tsv"
    lexicon.write_text('# "tempest" for "storm"\ntempest\tstorm\n', encoding="utf-8")
    text = (
        "Militia teams in japanese Syria stated the tempest had delayed latest assaults, the "
        "Division of Well being stated."
    )
    restored = "Militia groups in eastern Syria said the {} had delayed recent attacks, the "
    restored += "Department of Health said."
    assert textrepair.clean(text) == restored.format("tempest")
    assert textrepair.clean(text, lexicon=str(lexicon)) == restored.format("storm")


def test_a_genuine_rate_holds_only_as_far_as_clean_text_reaches_the_ratio() -> None:
    """The discount of a form is conditioned on its ratio in context: "home" loses it
    (and counts against) where clean text never shows it; "individuals", which police
    copy writes where the model prefers "people" a thousand to one, keeps it."""
    from textrepair.stages.unspin.gate import _discount, genuine_rates

    home, individuals = genuine_rates()["home"], genuine_rates()["individuals"]
    plain = home.genuine - home.model
    assert 0.0 < _discount(("home",), home.ratio_mean) <= plain
    assert _discount(("home",), 2.9) < 0.0
    assert _discount(("individuals",), 3.35) == pytest.approx(
        individuals.genuine - individuals.model
    )
    assert _discount(("not", "in", "the", "table"), 3.0) == 0.0


@pytest.mark.parametrize("text", OFFICIAL, ids=range(len(OFFICIAL)))
def test_police_and_court_copy_is_left_alone(text: str) -> None:
    assert textrepair.clean(text) == text
    assert textrepair.score(text).level == "clean"


def test_a_page_of_police_copy_is_left_alone_whole_and_line_by_line() -> None:
    page = "\n\n".join(OFFICIAL)
    assert textrepair.clean(page) == page
    for line in page.splitlines():
        assert textrepair.clean(line) == line


@pytest.mark.parametrize(
    "page",
    ["\n".join(OFFICIAL[2:]), (CORPUS / "clean" / "local-council-parking.clean.txt").read_text()],
    ids=["police", "council"],
)
def test_a_spun_comment_on_a_clean_page_is_unspun_alone(page: str) -> None:
    """The document is spun (the comment is), but its clean paragraphs keep their words."""
    page = page.rstrip("\n")
    mixed = page + "\n\nA reader's comment:\n" + SPUN + "\n"
    assert textrepair.score(mixed).level == "high"
    cleaned = textrepair.clean(mixed)
    assert cleaned.startswith(page + "\n\nA reader's comment:\n")
    assert "The House voted" in cleaned and "lawmakers said" in cleaned


# A clean technical page of our own. Its first paragraph, alone, shows two strong forms
# ("largest" -> biggest, "method's" -> way's) and opens the gate; the page as a whole
# reads clean.
TECHNICAL_PARAGRAPH = (
    "Our largest roadblock is working out the class a method was defined in, or that "
    "method's home class. Once that is known, the rest of the job is to write a short test, "
    "run it against the old and the new code, and read the two outputs side by side until "
    "they agree on every case the test covers, from the empty list to the list of a "
    "thousand names that the old code used to reject."
)
TECHNICAL_PAGE = [
    "Each instance keeps its own copy of the settings, and the module also offers a helper "
    "to reset them.",
    "Inside a function, names are looked up first in the local scope and then in the global one.",
    "The parser reads the source file line by line and builds a tree of nodes for the compiler.",
    "Each node records its position in the file, so error messages can point at the exact line.",
    "Keep the old spelling working for a few releases, and say so in the changelog.",
]


def test_a_clean_page_gives_each_paragraph_its_share_of_the_prior() -> None:
    """A page of k paragraphs has k chances to open one alone: where the page reads clean,
    each paragraph needs log10(k) more evidence than a text of its own would."""
    from textrepair.language_model import default_model
    from textrepair.lexicon import selected_lexicon
    from textrepair.stages.unspin import gate
    from textrepair.stages.unspin.candidates import in_context, scan
    from textrepair.stages.unspin.evidence import gains
    from textrepair.stages.unspin.grammar import suffix_candidates
    from textrepair.stages.unspin.model import shared_model

    lexicon, model = selected_lexicon(), shared_model(default_model())

    def judged(text: str) -> tuple[gate.SpinScore, list[float]]:
        candidates = in_context(text, suffix_candidates(text, lexicon, scan(text, lexicon)))
        return gate.spin_rates(text, candidates, [gains(model, c) for c in candidates])

    alone, rates = judged(TECHNICAL_PARAGRAPH)
    assert alone.log_odds > 0 and all(rates)  # on its own, it reads spun
    page = "\n".join([TECHNICAL_PARAGRAPH, *TECHNICAL_PAGE])
    whole, rates = judged(page)
    assert whole.log_odds < 0  # the page reads clean...
    # ...and six paragraphs spread the prior: log10(6) more is needed than alone.
    assert gate.PRIOR_LOG_ODDS - gate.paragraph_prior(6) > alone.log_odds
    assert not any(rates)
    assert textrepair.clean(page) == page
    assert gate.paragraph_prior(1) == gate.PRIOR_LOG_ODDS


def test_the_paragraphs_of_a_spun_article_follow_it() -> None:
    """Short paragraphs of a spun article show too little alone, yet are restored."""
    sentences = SPUN.split(". ")
    article = ".\n".join(sentences)
    cleaned = textrepair.clean(article)
    assert "the Department of Health said" in cleaned and "The Attorney General" in cleaned
    assert "over the next year" in cleaned


def test_the_first_look_spares_clean_text_the_language_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textrepair.stages import unspin

    def no_model(*args: object) -> None:
        raise AssertionError("the language model was asked about clean text")

    from textrepair.lexicon import selected_lexicon
    from textrepair.stages.unspin.candidates import scan

    # A candidate or two ("Street"), far too little to be spinning.
    clean = "The council met on Tuesday to talk about the library on Mill Street."
    assert scan(clean, selected_lexicon())
    monkeypatch.setattr(unspin, "gains", no_model)
    assert textrepair.clean(clean) == clean
    with pytest.raises(AssertionError, match="language model"):
        textrepair.clean(SPUN)


def test_the_first_look_leaves_a_users_own_rows_to_the_model(tmp_path: Path) -> None:
    """The genuine-rate table knows only the shipped rows: a text whose only candidates
    are a user's rows must reach the model, not stop at the first look."""
    from textrepair.lexicon import Lexicon
    from textrepair.stages.unspin.candidates import scan
    from textrepair.stages.unspin.gate import looks_clean

    lexicon_path = tmp_path / "user.tsv"
    lexicon_path.write_text("zorbled\tchecked\nflimmed\tsaid\n", encoding="utf-8")
    text = "The inspectors zorbled the wall and flimmed it was safe."
    candidates = scan(text, Lexicon.from_file(lexicon_path))
    assert [c.text for c in candidates] == ["zorbled", "flimmed"]
    assert not looks_clean(text, candidates)


# A spun paragraph of our own in which "roughly" is the author's word: real spun pages show
# it as written ten times and as the spinner's output twice (the genuine-rate table).
PENALTIES_GENUINE = (
    "The Home handed the invoice late on Thursday, lawmakers stated, and it'll head to the "
    "president's desk, the place he's anticipated to signal it. The bill also raises "
    "penalties for fraud, with exemptions for protection."
)


def test_a_form_real_spun_pages_show_as_written_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page counts spare a true "penalties" that the model alone would restore; the
    rest of the paragraph is restored as before."""
    from textrepair.stages import unspin

    cleaned = textrepair.clean(PENALTIES_GENUINE)
    assert "raises penalties for fraud" in cleaned and "The House passed the bill" in cleaned
    monkeypatch.setattr(unspin, "keep_log_bonus", lambda candidate, rho: 0.0)
    assert "raises consequences for fraud" in textrepair.clean(PENALTIES_GENUINE)


def test_the_keep_bonus_counts_only_genuine_use_beyond_the_rate() -> None:
    from textrepair.stages.unspin.candidates import Candidate, Option
    from textrepair.stages.unspin.decoding import keep_log_bonus
    from textrepair.stages.unspin.gate import genuine_rates

    def candidate(form: str) -> Candidate:
        return Candidate(0, len(form), form, (Option("", (form,), 0.0, None),), (), ())

    penalties, laws = genuine_rates()["penalties"], genuine_rates()["laws"]
    assert penalties.page_genuine > penalties.page_swaps and laws.page_genuine == 0
    assert keep_log_bonus(candidate("penalties"), 0.6) > 0.2  # 7 as written, 3 spun: ~1.6x
    assert keep_log_bonus(candidate("penalties"), 0.0) == 0.0  # no spin: nothing to offset
    assert keep_log_bonus(candidate("laws"), 0.6) == 0.0  # mostly spun: not pushed either way
    assert keep_log_bonus(candidate("zzzq"), 0.6) == 0.0  # not in the table


CONTRACTED = (
    "The Home voted on the invoice Tuesday, lawmakers stated. Republicans stated they're "
    "assured the measure will cross the Senate, however they didn't say when. The Division "
    "of Justice stated it is reviewing the case."
)


def test_a_contraction_the_pages_show_as_the_spinners_is_expanded_in_spun_text() -> None:
    """The model reads "they're" and "they are" alike; the pages' counts decide."""
    from textrepair.stages.unspin.candidates import Candidate, Option
    from textrepair.stages.unspin.decoding import keep_log_bonus
    from textrepair.stages.unspin.gate import genuine_rates

    form = "they're"
    contraction = Candidate(0, len(form), form, (Option("", (form,), 0.0, None),), (), ())
    rates = genuine_rates()[form]
    assert rates.page_swaps > 2 * rates.page_genuine
    assert keep_log_bonus(contraction, 0.6) < -0.2  # pushed toward the expansion
    assert keep_log_bonus(contraction, 0.0) == 0.0
    assert "Republicans said they are confident" in textrepair.clean(CONTRACTED)
    clean = "Republicans said they're confident the measure will pass the Senate."
    assert textrepair.clean(clean) == clean
