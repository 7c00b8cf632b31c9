"""Normalise stage: line endings, invisible characters, odd spaces, Unicode NFC.

One compiled pattern finds everything to change, so clean text costs one scan in C.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from ..edits import Edit, apply_edits, compose, diff_edits
from ..options import Options

NAME = "normalise"

# Each class of character, what it becomes, and why. Line breaks follow ftfy's
# fix_line_breaks; removed controls follow ftfy's remove_control_chars list (form feed
# and tab stay), plus C1 controls that no encoding fix could explain.
_RULES: tuple[tuple[str, str, str], ...] = (
    (r"\r\n|[\r\u2028\u2029]", "\n", "line ending to \\n"),
    (
        r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f\u206a-\u206f\ufff9-\ufffc]+",
        "",
        "control character removed",
    ),
    (r"[\u200b\u2060\ufeff\u00ad]+", "", "zero-width character or soft hyphen removed"),
    (r"[\u00a0\u2000-\u200a\u202f]", " ", "no-break or fixed-width space to space"),
    (r"\p{Cs}", "\ufffd", "lone surrogate cannot be encoded; replaced"),
)
_QUOTE_RULES = (
    (r"[\u02bc\u2018\u2019\u201a\u201b]", "'", "curly quote folded"),
    (r"[\u201c\u201d\u201e\u201f]", '"', "curly quote folded"),
)
_DASH_RULES = ((r"[\u2010-\u2015\u2212]", "-", "dash folded"),)


def _compile(
    rules: tuple[tuple[str, str, str], ...],
) -> tuple[regex.Pattern[str], list[tuple[str, str]]]:
    pattern = regex.compile("|".join(f"({expression})" for expression, _, _ in rules))
    return pattern, [(after, reason) for _, after, reason in rules]


_COMPILED = {
    (quotes, dashes): _compile(
        _RULES + (_QUOTE_RULES if quotes else ()) + (_DASH_RULES if dashes else ())
    )
    for quotes in (False, True)
    for dashes in (False, True)
}


# The only ASCII characters the rules change (a carriage return, the removed controls),
# whatever the folding options: ASCII text without them is done in one scan by `re`,
# whose search costs a seventh of a `regex` one on a sentence (tests check the two
# agree on every ASCII character).
_ASCII_DAMAGE = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f]")


def find_edits(text: str, options: Options) -> list[Edit]:
    """Edits that normalise `text`."""
    if text.isascii() and _ASCII_DAMAGE.search(text) is None:
        return []
    pattern, actions = _COMPILED[options.fold_quotes, options.fold_dashes]
    first = pattern.search(text)
    if first is None:  # the common case, one scan: only NFC is left to check
        if unicodedata.is_normalized("NFC", text):
            return []
        return _nfc_edits(text)
    matches = pattern.finditer(text, first.start())
    edits = [_rule_edit(match, actions) for match in matches]
    edits = [edit for edit in edits if edit.before != edit.after]
    folded = apply_edits(text, edits) if edits else text
    if unicodedata.is_normalized("NFC", folded):
        return edits
    return compose(text, edits, folded, _nfc_edits(folded))


def _rule_edit(match: regex.Match[str], actions: list[tuple[str, str]]) -> Edit:
    after, reason = actions[match.lastindex - 1]
    return Edit(match.start(), match.end(), match.group(), after, NAME, reason)


def _nfc_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    position = 0
    for line in text.splitlines(keepends=True):
        if not unicodedata.is_normalized("NFC", line):
            normal = unicodedata.normalize("NFC", line)
            edits.extend(
                diff_edits(line, normal, offset=position, stage=NAME, reason="Unicode NFC")
            )
        position += len(line)
    return edits
