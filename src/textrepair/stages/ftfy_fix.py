"""ftfy's fix of one segment (a line) for the encoding stage, in time linear in it.

A module of its own so that ftfy (a fifth of the import time) is imported with the first
line that needs it, not by ``import textrepair``: clean ASCII text never does.
"""

from __future__ import annotations

import functools
import re

import ftfy
from ftfy.chardata import HTML_ENTITY_RE, LIGATURES, WIDTH_MAP
from ftfy.fixes import (
    fix_character_width,
    fix_latin_ligatures,
    remove_terminal_escapes,
    unescape_html,
)

# What ftfy may do here. Everything else ftfy can do is either done by the normalise
# stage with edits of its own (line breaks, control characters, NFC) or is typography
# that textrepair keeps by default (curly quotes).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

# ftfy's own segment bound: a line longer than this is fixed in pieces.
MAX_SEGMENT = FTFY_CONFIG.max_decode_length

# ftfy repeats all its fixes until nothing changes and decodes one level of HTML
# entities per round, so '&' + 'amp;' * k costs k rounds over the whole line: quadratic
# (a 160 KB line took 27 s, 1 MB never finished). Text escaped up to this many times
# (double escaping, "&amp;amp;", is common; triple is rare) goes to ftfy as it is, so the
# result is ftfy's own; deeper nesting is first decoded in one linear pass
# (`unescape_fully`), which reaches the same fixed point. Nesting also counts when built
# through the fixes that make ASCII out of other characters in each round (wide forms,
# ligatures, terminal escapes: a wide "amp;", "&#65286;" + "#65286;" * k).
MAX_ENTITY_ROUNDS = 3

# The longest text ftfy's entity pattern can match: "&#", 24 characters, ";".
_LONGEST_ENTITY = 27

# "&" followed by entities of "&" ("amp;", "#38;", "#x26;"): each decodes to the "&"
# before the next, so the whole run decodes to one "&". Collapsed by the regex engine
# first, as it is by far the most common nesting.
_AMPERSAND_RUN = re.compile(r"&(?:(?:amp|AMP|#0*38|#[xX]0*26);)+")


def fix(segment: str) -> tuple[str, list[tuple[str, str]]]:
    """ftfy's fix of one segment and its steps, in time linear in the segment."""
    steps: list[tuple[str, str]] = []
    if deeply_nested(segment):
        segment = unescape_fully(segment)
        steps.append(("apply", "unescape_html"))
    fixed, ftfy_steps = ftfy.fix_and_explain(segment, FTFY_CONFIG)
    steps.extend((step.action, step.parameter) for step in ftfy_steps or ())
    return fixed, steps


def deeply_nested(segment: str) -> bool:
    """Whether decoding the entities of `segment` takes over `MAX_ENTITY_ROUNDS` rounds.

    Only where ftfy decodes entities at all: its "auto" mode leaves a line with "<" as
    it is.
    """
    if "<" in segment or ("&" not in segment and "\uff06" not in segment):
        return False
    segment = _to_ascii(segment)
    for _ in range(MAX_ENTITY_ROUNDS + 1):
        if "&" not in segment:
            return False
        decoded = _to_ascii(unescape_html(segment))
        if decoded == segment:
            return False
        segment = decoded
    return True


# The characters those two translations change: a search for them (C speed) spares the
# translations, ~50 ns a character even when nothing maps, on the usual non-ASCII line.
_WIDE_OR_LIGATURE = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted({*LIGATURES, *WIDTH_MAP})) + "]"
)


def _to_ascii(text: str) -> str:
    """The fixes of an ftfy round that can turn other characters into an entity's ASCII."""
    if _WIDE_OR_LIGATURE.search(text):
        text = fix_character_width(fix_latin_ligatures(text))
    return remove_terminal_escapes(text) if "\x1b" in text else text


@functools.lru_cache(maxsize=1024)
def _value_to_ascii(value: str) -> str:
    """A decoded entity's wide forms and ligatures made ASCII (translate costs ~30 us)."""
    return fix_character_width(fix_latin_ligatures(value))


def unescape_fully(text: str) -> str:
    """`text` with ftfy's entity decoding repeated until nothing changes, in one pass.

    An entity ends at the first ";" after its "&" and holds neither, so two entities
    never overlap and the order of decoding does not change the result. Scanning left
    to right, each ";" is checked against the last "&" before it; a decoded entity is
    scanned again, as its value may start or complete another ("&amp;amp;",
    "&amp&semi;"). Each decoding shortens the text, so the work is linear.

    Wide forms and ligatures are made ASCII first, in the text and in every decoded
    value, as ftfy's rounds would ("&#65286;" is a wide "&").

    >>> unescape_fully("&amp;amp;amp;lt; &amp&semi; &#38;#38;eacute; &#65286;#65286;amp;")
    '< & é &'
    """
    text = _AMPERSAND_RUN.sub("&", _to_ascii(text))
    done: list[str] = []  # decoded text so far, as characters
    again: list[str] = []  # decoded values still to scan, last character first
    position = 0
    while again or position < len(text):
        if again:
            done.append(again.pop())
        else:
            end = text.find(";", position)
            end = len(text) if end < 0 else end + 1
            done.extend(text[position:end])
            position = end
        if done[-1] != ";":
            continue
        tail = "".join(done[-_LONGEST_ENTITY:])
        candidate = tail[tail.rfind("&") :] if "&" in tail else ""
        if HTML_ENTITY_RE.fullmatch(candidate):
            value = unescape_html(candidate)
            if not value.isascii():
                value = _value_to_ascii(value)
            if value != candidate:
                del done[-len(candidate) :]
                again.extend(reversed(value))
    return "".join(done)
