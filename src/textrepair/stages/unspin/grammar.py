"""Grammar around a restored word: its capitals and the article before it.

The last floor: decisions (span, original) become explained edits of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from ...edits import Edit
from .decoding import Decision

# An article right before a candidate: "an professional" -> "an expert".
# (The standard library's engine: one short search per restoration. \Z, not $, which
# would also match before a line break and let the edit swallow it.)
ARTICLE_BEFORE = re.compile(r"(?<!\w)(an?|An?|AN)([ \t]+)\Z")
VOWEL_SOUND = regex.compile(
    r"(?i)^(?:[aeio]|u(?!ni|s[eu]|ti|r[aeiou])|h(?:our|onest|onou?r|eir)|[fhlmnrsx]\b)"
)


def to_edits(text: str, decisions: Sequence[Decision], level: str, stage: str) -> list[Edit]:
    """The edits restoring `decisions` (in text order) in `text`, case and articles fixed.

    An article is fixed only where no other restoration already rewrites it (a user row
    "a -> the" before a restored "workplace -> office" must not give two edits of "a").
    """
    edits: list[Edit] = []
    for index, decision in enumerate(decisions):
        taken = decisions[index - 1].candidate.end if index else 0
        edits.append(_edit(text, decision, level, stage, taken))
    return edits


def _edit(text: str, decision: Decision, level: str, stage: str, taken: int) -> Edit:
    """The edit of one decision; text before `taken` belongs to an earlier edit."""
    candidate, option = decision.candidate, decision.option
    substitution = option.substitution
    assert substitution is not None  # decisions only hold restorations
    replacement = match_case(candidate.text, option.text, substitution.spun)
    start = candidate.start
    article = ARTICLE_BEFORE.search(text, max(taken, start - 4), start)
    if article:
        fixed = article_for(replacement, article.group(1))
        if fixed != article.group(1):
            start = article.start()
            replacement = fixed + article.group(2) + replacement
    reason = (
        f"spun form of {substitution.original!r} ({substitution.source} lexicon); "
        f"document spin level {level}"
    )
    return Edit(
        start,
        candidate.end,
        text[start : candidate.end],
        replacement,
        stage,
        reason,
        round(decision.confidence, 4),
    )


def match_case(observed: str, original: str, table_form: str) -> str:
    """Carry the observed capitalisation over to the restored phrase: all capitals, every
    word capitalised (a name: "Financial Coverage" -> "Monetary Policy"), or the first.

    >>> match_case("Financial Coverage", "monetary policy", "financial coverage")
    'Monetary Policy'
    >>> match_case("Stated", "said", "stated")
    'Said'
    """
    if table_form != table_form.lower():
        return original  # a case-sensitive name: the table gives the exact form
    if len(observed) > 1 and observed.isupper():
        return original.upper()
    if " " in observed and all(word[:1].isupper() for word in observed.split(" ")):
        return " ".join(word[:1].upper() + word[1:] for word in original.split(" "))
    if observed[:1].isupper():
        return original[:1].upper() + original[1:]
    return original


def article_for(word: str, article: str) -> str:
    """The indefinite article `word` takes, in the case of `article`."""
    wanted = "an" if VOWEL_SOUND.match(word) else "a"
    if article.isupper() and len(article) > 1:
        return wanted.upper()
    return wanted.capitalize() if article[:1].isupper() else wanted
