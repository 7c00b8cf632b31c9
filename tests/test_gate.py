"""The gate's early stop (`gate.gains_for_gate`) must give the verdict of asking the
language model about every candidate: on real spun, clean and mixed documents, and on
any gains at all (the bound is a proof, not a fit)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from textrepair.language_model import default_model
from textrepair.lexicon import selected_lexicon
from textrepair.stages.unspin import gate
from textrepair.stages.unspin.candidates import Candidate, find_candidates, in_context, scan
from textrepair.stages.unspin.evidence import gains
from textrepair.stages.unspin.grammar import suffix_candidates
from textrepair.stages.unspin.model import shared_model
from textrepair.strategies import spin_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SPUN_FILES = sorted((CORPUS / "spun").glob("*.spun.txt"))
CLEAN_FILES = (
    sorted((CORPUS / "clean").glob("*.txt"))
    + sorted((CORPUS / "real" / "clean").glob("*.txt"))[:12]
)


def _paragraphs(paths: Sequence[Path]) -> list[str]:
    found = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").split("\n")
        found.extend(line for line in lines if len(line.split()) >= 8)
    return found


PARAGRAPHS = _paragraphs(CLEAN_FILES[:20])


def model_gains(candidates: Sequence[Candidate]) -> list[tuple[float, ...]]:
    model = shared_model(default_model())
    return [gains(model, candidate) for candidate in candidates]


def same_verdict(
    text: str, candidates: Sequence[Candidate], option_gains: Sequence[tuple[float, ...]]
) -> int:
    """Check the early stop against asking everything; how many candidates it asked."""
    by_id = {id(c): g for c, g in zip(candidates, option_gains, strict=True)}
    asked: list[int] = []

    def ask(candidate: Candidate) -> tuple[float, ...]:
        asked.append(id(candidate))
        return by_id[id(candidate)]

    result = gate.gains_for_gate(text, candidates, ask)
    _, rates = gate.spin_rates(text, candidates, option_gains)
    assert len(asked) == len(set(asked)), "a candidate was asked twice"
    if result is None:
        assert not any(rates), "the early stop shut a gate that asking everything opens"
    else:
        assert result == list(option_gains)
    return len(asked)


@pytest.fixture(params=["as shipped", "always"])
def proof(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped proof path (short texts), and the proof tried on every text."""
    if request.param == "always":
        monkeypatch.setattr(gate, "PROOF_SHARE", 0.0)


@pytest.mark.parametrize("path", SPUN_FILES + CLEAN_FILES, ids=lambda path: path.name)
def test_real_documents_get_the_verdict_of_asking_every_candidate(path: Path, proof: None) -> None:
    text = path.read_text(encoding="utf-8")
    candidates = find_candidates(text, selected_lexicon())
    asked = same_verdict(text, candidates, model_gains(candidates))
    if path in SPUN_FILES:
        assert asked == len(candidates)  # the gate opens: the decoder needs every gain


@st.composite
def mixed_documents(draw: st.DrawFn) -> str:
    """Real clean paragraphs, some of them spun (a spun comment on a clean page, a spun
    article, or none), one per line."""
    chosen = draw(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=5))
    rate = draw(st.sampled_from([0.2, 0.5, 1.0]))
    spun = draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    pairs = enumerate(zip(chosen, spun, strict=True))
    return "\n".join(spin_text(p, rate, seed=i) if s else p for i, (p, s) in pairs)


@settings(max_examples=40, deadline=None)
@given(mixed_documents())
def test_mixed_documents_get_the_verdict_of_asking_every_candidate(text: str) -> None:
    candidates = find_candidates(text, selected_lexicon())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate, "PROOF_SHARE", 0.0)
        same_verdict(text, candidates, model_gains(candidates))


@settings(max_examples=80, deadline=None)
@given(mixed_documents(), st.data())
def test_any_gains_get_the_verdict_of_asking_every_candidate(
    text: str, data: st.DataObject
) -> None:
    """Gains the model would never give, near the gate's edge and far past it."""
    candidates = find_candidates(text, selected_lexicon())
    gain = st.floats(-6.0, 8.0, allow_nan=False)
    option_gains = [
        tuple(data.draw(gain) for _ in candidate.options[1:]) for candidate in candidates
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate, "PROOF_SHARE", data.draw(st.sampled_from([0.0, gate.PROOF_SHARE])))
        same_verdict(text, candidates, option_gains)


def test_one_spinner_form_cannot_open_the_gate_so_the_model_is_not_asked() -> None:
    text = "The council stated on Tuesday that the library would open at noon."
    candidates = find_candidates(text, selected_lexicon())
    assert [c.text for c in candidates] == ["stated"]
    assert not gate.looks_clean(text, candidates)  # the first look is unsure...

    def no_model(candidate: Candidate) -> tuple[float, ...]:
        raise AssertionError("the language model was asked")

    assert gate.gains_for_gate(text, candidates, no_model) is None  # ...the bound is not
    # find_edits stops on that count before reading any context (the same verdict).
    assert gate.too_few_forms(candidates)
    two_forms = "The council stated on Tuesday that the invoice would open at noon."
    assert not gate.too_few_forms(find_candidates(two_forms, selected_lexicon()))


def test_a_short_clean_text_is_decided_from_some_of_its_candidates() -> None:
    text = "Officers stated that the road was closed for 12 months."
    candidates = find_candidates(text, selected_lexicon())
    assert 0 < same_verdict(text, candidates, model_gains(candidates)) < len(candidates)


def test_a_model_that_gives_up_leaves_the_text() -> None:
    text = SPUN_FILES[0].read_text(encoding="utf-8")
    candidates = find_candidates(text, selected_lexicon())
    assert gate.gains_for_gate(text, candidates, lambda candidate: None) is None


def test_a_curly_apostrophe_reads_the_table_as_a_straight_one() -> None:
    # The genuine-rate table is keyed "it's"; a text's "it\u2019s" is the same word.
    straight = "We can't say that it's over, and we're sure there's more."
    curly = straight.replace("'", "\u2019")
    lexicon = selected_lexicon()
    found = {text: find_candidates(text, lexicon) for text in (straight, curly)}
    expected = [c.text.replace("'", "\u2019") for c in found[straight]]
    assert [c.text for c in found[curly]] == expected
    assert found[curly], "the shipped lexicon has the spinner's contractions"
    for c_straight, c_curly in zip(found[straight], found[curly], strict=True):
        assert gate._context_free_ratio(c_curly) == gate._context_free_ratio(c_straight)
        assert gate._context_free_ratio(c_curly) < float("inf")
    assert gate.first_look(curly, found[curly]) == gate.first_look(straight, found[straight])


def test_a_possessive_is_evidence_of_the_form_it_is_made_of() -> None:
    """A possessive ("method's") is the spun form "method" again, not a second form: apart, a
    clean sentence with one strong form ("largest") and a possessive the model reads far
    better as "way's" would open the gate."""
    text = (
        "The largest problem is the class a method was written in, or that method's parent "
        "class for short."
    )
    lexicon, model = selected_lexicon(), shared_model(default_model())
    candidates = in_context(text, suffix_candidates(text, lexicon, scan(text, lexicon)))
    forms = {candidate.text: gate.form_of(candidate) for candidate in candidates}
    assert forms["method's"] == forms["method"] == ("method",)
    option_gains = [gains(model, candidate) for candidate in candidates]
    assert not any(gate.spin_rates(text, candidates, option_gains)[1])
    assert textrepair.clean(text) == text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate, "form_of", lambda candidate: candidate.options[0].words)
        assert all(gate.spin_rates(text, candidates, option_gains)[1])


@pytest.mark.parametrize(
    ("text", "possessive"),
    [
        (
            # Court copy writes "the Division's" itself (8 times in the real corpus's
            # training part), so that form alone no longer makes the sentence spun.
            "The Lawyer Basic's workplace stated the Division's investigation would proceed,"
            " officers mentioned.",
            "Lawyer Basic's",
        ),
        (
            "The Supreme Courtroom's choice was handed down, the Justice Division's lawyer stated.",
            "Supreme Courtroom's",
        ),
    ],
)
def test_score_weighs_the_candidates_clean_weighs(text: str, possessive: str) -> None:
    """A spun name in the possessive is a candidate of the stage (grammar.suffix_candidates),
    so the spin score counts it too: the score of a text that `clean` repairs as spun
    does not read clean (the scan's candidates alone scored both sentences clean)."""
    assert textrepair.clean(text) != text
    result = textrepair.score(text)
    assert result.level != "clean"
    assert possessive in [giveaway.text for giveaway in result.evidence]
