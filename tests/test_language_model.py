"""Real-behaviour tests for the shipped n-gram language model."""

from __future__ import annotations

import importlib.resources
import math
from collections.abc import Sequence

import pytest

from textrepair.language_model import (
    UNKNOWN_LOGPROB,
    LanguageModel,
    NGramModel,
    default_model,
    phrase_logprob,
)


@pytest.fixture(scope="module")
def lm() -> NGramModel:
    return default_model()


def test_shipped_model_loads(lm: NGramModel) -> None:
    assert lm.order == 3
    assert default_model() is lm  # cached once per process
    assert "said" in lm and "kirby" in lm
    assert isinstance(lm, LanguageModel)
    assert -4.0 < lm.unigram_logprob("the") < -1.0


@pytest.mark.parametrize(
    ("original", "spun", "context"),
    [
        ("said", "stated", ["kirby"]),
        ("groups", "teams", ["militant"]),
        ("eastern", "japanese", ["in"]),
        ("recent", "latest", ["for"]),
        ("office", "workplace", ["since", "taking"]),
        ("military", "army", ["us"]),
        ("attacks", "assaults", ["for", "recent"]),
        ("action", "motion", ["military"]),
    ],
)
def test_prefers_original_wording(original: str, spun: str, context: list[str]) -> None:
    lm = default_model()
    assert lm.logprob(original, context) > lm.logprob(spun, context)


def test_phrase_level_preference(lm: NGramModel) -> None:
    ctx = ["in", "retaliation", "for"]
    orig = phrase_logprob(lm, ["recent", "attacks", "on"], ctx)
    spun = phrase_logprob(lm, ["latest", "assaults", "on"], ctx)
    assert orig > spun + 1.0
    assert phrase_logprob(lm, ["a", "year"], ["for"]) > phrase_logprob(
        lm, ["12", "months"], ["for"]
    )


def test_matches_arpa_backoff_for_unseen_trigram(lm: NGramModel) -> None:
    # "japanese syria" is (almost certainly) not a stored trigram after "in":
    # the score must be the ARPA backoff bo(in, japanese) + P(syria | japanese).
    ids = lm._ids
    u, v, w = ids["in"], ids["japanese"], ids["syria"]
    lo, hi = lm._bi_off[u], lm._bi_off[u + 1]
    j = next(k for k in range(lo, hi) if lm._bi_words[k] == v)
    tri = list(lm._tri_words[lm._tri_off[j] : lm._tri_off[j + 1]])
    assert w not in tri
    backoff = lm._bo_table[lm._bo_codes[j]]
    assert lm.logprob("syria", ["in", "japanese"]) == pytest.approx(
        backoff + lm.logprob("syria", ["japanese"])
    )
    # unigram backoff: a bigram nobody says
    assert lm.logprob("zebra", ["zyuganov's"]) == pytest.approx(
        lm._uni_bo[ids["zyuganov's"]] + lm.unigram_logprob("zebra")
    )
    # context beyond order - 1 words is ignored
    assert lm.logprob("said", ["the", "pentagon", "kirby"]) == lm.logprob(
        "said", ["pentagon", "kirby"]
    )


def test_unknown_words_get_the_floor_and_never_raise(lm: NGramModel) -> None:
    assert lm.logprob("qzxvqzxvwk", ["the"]) == UNKNOWN_LOGPROB
    assert lm.unigram_logprob("qzxvqzxvwk") == UNKNOWN_LOGPROB
    weird = ["", " ", ",", ".", "—", "<s>", "</s>", "x" * 100_000, "\x00", "🙂", "日本", "-", "'"]
    for word in weird:
        for ctx in ([], weird, ["the", word], [word, word]):
            value = lm.logprob(word, ctx)
            assert isinstance(value, float)
            assert math.isfinite(value)
            assert value <= 0.0


def test_punctuation_conventions(lm: NGramModel) -> None:
    # commas and quotes are transparent in the context and free as words
    assert lm.logprob(",", ["kirby"]) == 0.0
    assert lm.logprob("said", ["kirby", ","]) == lm.logprob("said", ["kirby"])
    assert lm.logprob("said", ["kirby", "“"]) == lm.logprob("said", ["kirby"])
    # sentence-final punctuation starts a new sentence ...
    assert lm.logprob("the", ["syria", "."]) == lm.logprob("the", ["<s>"])
    assert lm.logprob("the", ["syria."]) == lm.logprob("the", ["<s>"])
    # ... and scoring it as a word gives P(</s> | context)
    assert lm.logprob(".", ["in", "syria"]) == pytest.approx(lm.logprob("</s>", ["in", "syria"]))
    # stray surrounding punctuation and curly apostrophes are normalised
    assert lm.logprob("syria,", ["in"]) == lm.logprob("syria", ["in"])
    assert lm.logprob("doesn\u2019t", ["it"]) == lm.logprob("doesn't", ["it"])


def test_numbers_and_hyphens(lm: NGramModel) -> None:
    assert lm.logprob("12", ["for"]) == lm.logprob("twelve", ["for"])
    assert lm.logprob("months", ["for", "12"]) == lm.logprob("months", ["for", "twelve"])
    assert lm.logprob("2021", ["in"]) == pytest.approx(
        phrase_logprob(lm, ["twenty", "twenty-one"], ["in"])
    )
    assert lm.logprob("iran-linked", ["the"]) == pytest.approx(
        phrase_logprob(lm, ["iran", "linked"], ["the"])
    )


def test_out_of_vocabulary_uses_symspell_fallback(lm: NGramModel) -> None:
    # "utilised" (British spelling) is not in the Sphinx vocabulary but is in Web-1T
    assert "utilised" not in lm
    assert (
        UNKNOWN_LOGPROB
        < lm.logprob("utilised", ["infrastructure"])
        < lm.logprob("used", ["infrastructure"])
    )


def test_phrase_logprob_is_left_to_right_sum(lm: NGramModel) -> None:
    words = ["kirby", "said", "in", "a", "statement"]
    expected = sum(lm.logprob(w, ["pentagon", *words[:i]]) for i, w in enumerate(words))
    assert phrase_logprob(lm, words, ["pentagon"]) == pytest.approx(expected)
    assert phrase_logprob(lm, [], ["x"]) == 0.0


class TinyBigramModel:
    """A user's own model: add-one bigram counts from a toy corpus."""

    order = 2

    def __init__(self, text: str) -> None:
        self.words = text.split()
        self.vocab = set(self.words)
        self.pairs: dict[tuple[str, str], int] = {}
        self.counts: dict[str, int] = {}
        for a, b in zip(self.words, self.words[1:], strict=False):
            self.pairs[(a, b)] = self.pairs.get((a, b), 0) + 1
            self.counts[a] = self.counts.get(a, 0) + 1

    def logprob(self, word: str, context: Sequence[str]) -> float:
        prev = context[-1] if context else ""
        num = self.pairs.get((prev, word), 0) + 1
        return math.log10(num / (self.counts.get(prev, 0) + len(self.vocab) + 1))


def test_protocol_accepts_a_custom_model() -> None:
    tiny = TinyBigramModel("the cat sat on the mat the cat ate")
    assert isinstance(tiny, LanguageModel)
    model: LanguageModel = tiny
    assert phrase_logprob(model, ["the", "cat"], ["on"]) > phrase_logprob(
        model, ["the", "sat"], ["on"]
    )
    assert phrase_logprob(model, ["cat"], ["the"]) == model.logprob("cat", ["the"])


def test_load_explicit_path_equals_default(lm: NGramModel) -> None:
    from importlib.resources import as_file, files

    ref = files("textrepair").joinpath("data").joinpath("lm-en-us-3gram.zip")
    with as_file(ref) as path:
        other = NGramModel.load(path)
    for word, ctx in [("said", ["kirby"]), ("syria", ["eastern"]), ("qq", [])]:
        assert other.logprob(word, ctx) == lm.logprob(word, ctx)


def test_rejects_a_non_model_file(tmp_path) -> None:
    bad = tmp_path / "lm.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(Exception):  # noqa: B017 - zipfile.BadZipFile
        NGramModel.load(bad)


SENTENCE_TEXT = "the us military said on tuesday it carried out air strikes in eastern syria ."
SENTENCE = tuple(SENTENCE_TEXT.split())


def test_mapped_and_read_models_agree(lm: NGramModel) -> None:
    # The shipped model's big arrays are used in place from a memory map; a model read
    # through a file object (a zipped install) must give the very same answers.
    ref = importlib.resources.files("textrepair") / "data" / "lm-en-us-3gram.zip"
    with ref.open("rb") as fh:
        read = NGramModel._load_zip(fh)
    assert isinstance(lm._bi_words, memoryview) and lm._bi_words.readonly
    queries = [(SENTENCE[i], SENTENCE[max(0, i - 2) : i]) for i in range(len(SENTENCE))]
    assert [read.logprob(w, c) for w, c in queries] == [lm.logprob(w, c) for w, c in queries]
