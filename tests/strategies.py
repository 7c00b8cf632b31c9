"""Hypothesis strategies for textrepair's own tests (kept beside them, as attrs does)."""

from __future__ import annotations

from hypothesis import strategies as st

# Everyday words that are never the output of a spinner in our lexicons' sense, so a
# text made of them is clean prose by construction (tests/test_strategies.py checks them
# against the shipped lexicon: "carefully" was here until hypothesis found it is one, and
# "table" and "again" until real spun pages showed them for "desk" and "back").
PLAIN_WORDS = [
    "the",
    "a",
    "an",
    "and",
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "this",
    "that",
    "it",
    "was",
    "is",
    "are",
    "be",
    "has",
    "had",
    "river",
    "town",
    "bridge",
    "morning",
    "water",
    "children",
    "garden",
    "bread",
    "kitchen",
    "window",
    "walked",
    "opened",
    "painted",
    "cooked",
    "carried",
    "washed",
    "planted",
    "counted",
    "listened",
    "small",
    "green",
    "quiet",
    "warm",
    "early",
    "slowly",
    "gently",
    "together",
]

words = st.sampled_from(PLAIN_WORDS)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    body = draw(st.lists(words, min_size=3, max_size=14))
    body[0] = body[0].capitalize()
    return " ".join(body) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def clean_prose(draw: st.DrawFn) -> str:
    """ASCII prose: sentences joined by spaces, paragraphs by blank lines."""
    paragraphs = draw(
        st.lists(st.lists(sentences(), min_size=1, max_size=5), min_size=1, max_size=4)
    )
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs) + "\n"


# Spinner outputs (from the seed article and the curated tables) for tests that need the
# unspin stage to work: single words, phrases, names and the spinner's grammar slips.
SPINNER_OUTPUTS = [
    "stated",
    "teams",
    "japanese",
    "12 months",
    "the place",
    "imaginative and prescient",
    "latest assaults",
    "workplace",
    "army motion",
    "primary",
    "utilised",
    "performed",
    "had been",
    "Center East",
    "Home",
    "invoice",
    "an professional",
    "a expert",
]
