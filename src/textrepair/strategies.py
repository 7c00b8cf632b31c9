"""Hypothesis strategies that damage a text the ways the web does, for your own tests.

Each function takes a text you know to be clean and returns a hypothesis
``SearchStrategy[str]`` of damaged copies of it:

- :func:`mojibake`: UTF-8 read with the wrong codec ("Café" -> "CafÃ©"), only where
  ftfy can undo it.
- :func:`stray_whitespace`: no-break and thin spaces for spaces, zero-width characters
  and BOMs between tokens, ``\\r\\n`` or ``\\r`` for ``\\n``.
- :func:`control_characters`: C0 control characters between tokens.
- :func:`glued`: the space between a lowercase word and a capitalised one removed, as
  scrapers do when they join HTML elements ("airstrikes Feb" -> "airstrikesFeb").
- :func:`spun`: phrases replaced with what real synonym spinners write for them
  ("recent attacks" -> "latest assaults"), from the shipped lexicon's curated rows;
  :func:`spin_text` is the same spinner as a plain, seeded function.
- :func:`damaged`: any combination of the above, in the order the web applies them.

The damage is always information-preserving: the first three kinds
(:data:`CHARACTER_DAMAGE`) are undone exactly by ``textrepair.clean``:
``clean(damaged) == clean(text)``. Glue is undone where both words are
known and the joined form is not a word; spinning is undone in part (the unspin stage
only acts on a text dense with spinner giveaways, and only when it is sure).

hypothesis is an optional dependency: ``pip install "textrepair[strategies]"``.

A regression test: your pipeline gives the same output on the clean text and on
damaged-then-repaired copies of it::

    from hypothesis import given, settings

    import textrepair
    from textrepair.strategies import CHARACTER_DAMAGE, damaged

    SAMPLE = (
        "The café in Zürich reopened on Monday.\\n"
        "Its owners said the “new” menu — priced in € — would stay.\\n"
    )


    def my_pipeline(text: str) -> list[str]:
        # Stands in for your own code: here, the lowercased words of the text.
        return text.lower().split()


    # No deadline: textrepair reads its word lists on first use, which takes a second.
    @settings(deadline=None)
    @given(damaged(SAMPLE, kinds=CHARACTER_DAMAGE))
    def test_pipeline_gives_the_same_output_on_repaired_text(text: str) -> None:
        assert my_pipeline(textrepair.clean(text)) == my_pipeline(SAMPLE)

To draw several damaged copies in one test, use ``@given(st.data())`` and
``data.draw(textrepair.strategies.mojibake(my_text))``.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterable, Sequence

import ftfy
import ftfy.bad_codecs  # registers "sloppy-windows-1252", a codec users may pass
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .lexicon import default_lexicon

__all__ = [
    "ALL_DAMAGE",
    "CHARACTER_DAMAGE",
    "CONTROL_CHARACTERS",
    "INVISIBLE_CHARACTERS",
    "SPACE_LOOKALIKES",
    "control_characters",
    "damaged",
    "glued",
    "mojibake",
    "spin_text",
    "spun",
    "stray_whitespace",
]

# ftfy restricted to undoing encoding damage: quotes, line breaks, control characters,
# widths and Unicode normalisation are left alone, so "ftfy can undo this damage" is
# judged on the damage alone and not on typography the text already had.
_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# Spaces a page shows as a space: no-break, en, thin, hair, narrow no-break. Each stands
# in for one ordinary space; textrepair's normalise stage turns each back into one.
SPACE_LOOKALIKES = ("\xa0", "\u2002", "\u2009", "\u200a", "\u202f")

# Characters that show as nothing: zero-width space, word joiner, byte order mark (a BOM
# in the middle of a text comes from concatenated files), soft hyphen.
INVISIBLE_CHARACTERS = ("\u200b", "\u2060", "\ufeff", "\xad")

# C0 controls that scraped text carries (NUL from C strings, backspace, vertical tab, the
# separators 0x1c-0x1f, DEL). Tab, line feed, form feed and carriage return are layout,
# not damage, and ESC is left out because ESC followed by "[" reads as a terminal escape,
# which ftfy removes together with the characters after it.
CONTROL_CHARACTERS = tuple(
    chr(code) for code in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F)
)

# Kinds of damage for `damaged`, in the order it applies them: words first (spinners and
# scrapers work on the page text), then stray characters, then the encoding of it all.
# Mojibake comes last because a wrong decoding applies to the page as it was, junk
# included; characters inserted inside mojibake afterwards can block its repair (a
# zero-width space cannot be encoded in mac_roman, so ftfy cannot decode that line).
ALL_DAMAGE = ("spun", "glued", "stray_whitespace", "control_characters", "mojibake")

# The kinds `textrepair.clean` undoes exactly (tested on prose in several scripts).
CHARACTER_DAMAGE = ("stray_whitespace", "control_characters", "mojibake")

# A maximal run of non-ASCII characters: the unit mojibake damages.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

# A lowercase word, one space, a capitalised word: what `glued` joins. Letters only, and
# not part of a longer token (hyphens, apostrophes, digits and dots stay out of it).
_GLUE_PAIR = re.compile(r"(?<![\w'\u2019.-])([^\W\d_]+) (?=([^\W\d_]+)(?![\w'\u2019-]))")

# Curated lexicon sources: pairs seen in the output of real spinners (the thesaurus
# sources would give synonyms no spinner writes).
CURATED_SOURCES = frozenset({"news"})


def mojibake(text: str, encoding: str = "cp1252") -> SearchStrategy[str]:
    """Copies of `text` with some or all non-ASCII runs encoded as UTF-8 and decoded as
    `encoding` ("cp1252", "latin-1", "mac_roman", "sloppy-windows-1252"...).

    Only damage ftfy undoes is produced. ftfy fixes a line at a time, and a line with
    both damaged and intact non-ASCII text is often beyond it (always for mac_roman), so
    the units drawn are single runs that ftfy undoes alone and whole lines damaged
    throughout; runs drawn together are kept only while ftfy still undoes the line.
    Runs the codec cannot decode (cp1252 has five undefined bytes) stay as they are. A
    text with nothing to damage (plain ASCII) gives just itself.
    """
    _check_text(text)
    # ftfy splits at "\n" only (not at the other breaks str.splitlines knows).
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    target = [_fix_encoding(line) for line in lines]
    runs: list[list[tuple[int, int, str]]] = []  # per line: (start, end, damaged run)
    units: list[tuple[int, frozenset[int]]] = []  # (line index, indices into runs[line])
    for index, line in enumerate(lines):
        line_runs = []
        for match in _NON_ASCII.finditer(line):
            try:
                bad = match.group().encode("utf-8").decode(encoding)
            except UnicodeDecodeError:
                continue
            if bad != match.group():
                line_runs.append((match.start(), match.end(), bad))
        runs.append(line_runs)
        for run in range(len(line_runs)):
            if _fix_encoding(_apply(line, [line_runs[run]])) == target[index]:
                units.append((index, frozenset([run])))
        everything = frozenset(range(len(line_runs)))
        if len(everything) > 1 and _fix_encoding(_apply(line, line_runs)) == target[index]:
            units.append((index, everything))
    if not units:
        return st.just(text)

    def apply(chosen: Sequence[int]) -> str:
        wanted: dict[int, set[int]] = {}
        for unit in chosen:
            index, members = units[unit]
            wanted.setdefault(index, set()).update(members)
        damaged_lines = list(lines)
        for index, line_members in wanted.items():
            line, line_runs = lines[index], runs[index]
            attempt = _apply(line, [line_runs[run] for run in line_members])
            if _fix_encoding(attempt) != target[index]:
                # Together beyond ftfy: add the runs left to right while it still copes.
                kept: list[tuple[int, int, str]] = []
                for run in sorted(line_members):
                    trial = _apply(line, [*kept, line_runs[run]])
                    if _fix_encoding(trial) == target[index]:
                        kept.append(line_runs[run])
                attempt = _apply(line, kept)
            damaged_lines[index] = attempt
        return "".join(damaged_lines)

    return _nonempty_subsets(len(units)).map(apply)


def stray_whitespace(text: str) -> SearchStrategy[str]:
    """Copies of `text` with space look-alikes for spaces, invisible characters between
    tokens and ``\\r\\n`` or ``\\r`` for ``\\n`` (see `SPACE_LOOKALIKES`,
    `INVISIBLE_CHARACTERS`).

    Each change is one textrepair's normalise stage undoes: a look-alike stands for a
    space, an invisible character is removed, a line ending becomes ``\\n``.
    """
    _check_text(text)
    edits: list[tuple[int, int, SearchStrategy[str]]] = []  # (start, end, replacement)
    for position, char in enumerate(text):
        if char == " ":
            edits.append((position, position + 1, st.sampled_from(SPACE_LOOKALIKES)))
        elif char == "\n" and (position == 0 or text[position - 1] != "\r"):
            # "\r" alone only where no "\n" follows: "\r" + "\n" would read as one break.
            endings = ["\r\n"]
            if not text.startswith("\n", position + 1):
                endings.append("\r")
            edits.append((position, position + 1, st.sampled_from(endings)))
    edits += _insertions(text, st.sampled_from(INVISIBLE_CHARACTERS))
    return _some_edits(text, edits)


def control_characters(text: str) -> SearchStrategy[str]:
    """Copies of `text` with C0 control characters between tokens (`CONTROL_CHARACTERS`),
    the residue of binary formats and C strings in scraped text."""
    _check_text(text)
    return _some_edits(text, _insertions(text, st.sampled_from(CONTROL_CHARACTERS)))


def glued(text: str) -> SearchStrategy[str]:
    """Copies of `text` with the space removed between some lowercase-word /
    Capitalised-word pairs ("airstrikes Feb 15" -> "airstrikesFeb 15"), as happens when
    a scraper joins the text of two HTML elements without a separator."""
    _check_text(text)
    edits: list[tuple[int, int, SearchStrategy[str]]] = []
    for match in _GLUE_PAIR.finditer(text):
        left, right = match.group(1), match.group(2)
        if left.islower() and right[:1].isupper() and right[1:].islower():
            edits.append((match.end(1), match.end(1) + 1, st.just("")))
    return _some_edits(text, edits)


def spun(text: str, rate: float = 0.5) -> SearchStrategy[str]:
    """Copies of `text` as a synonym spinner would rewrite it: about `rate` of the phrases
    a real spinner is known to replace (the shipped lexicon's curated rows) are replaced
    by one of the spinner's outputs, keeping their capitalisation.

    Phrases are found on word boundaries, longest first; a lowercase lexicon row matches
    any capitalisation, a row with capitals ("World Health Organization") only exactly.
    At least one phrase is replaced when there is any. `spin_text` is the same spinner
    as a plain function.
    """
    sites = _spin_sites(text, rate)
    if not sites:
        return st.just(text)
    count = max(1, round(rate * len(sites)))

    @st.composite
    def draw_spun(draw: st.DrawFn) -> str:
        order = draw(st.permutations(range(len(sites))))
        edits = []
        for index in sorted(order[:count]):
            start, end, observed, forms = sites[index]
            form = draw(st.sampled_from(forms))
            edits.append((start, end, _carry_case(observed, form)))
        return _apply(text, edits)

    return draw_spun()


def spin_text(text: str, rate: float = 0.5, seed: int | str = 0) -> str:
    """`text` spun as `spun` spins it, drawn from `seed` instead of by hypothesis: the
    same text, rate and seed always give the same output.

    For benchmarks and corpora of spun text with a known original (the original is
    `text`): about `rate` of the phrases real spinners replace are replaced.

    >>> spin_text("Officials said the recent attacks were serious.", rate=1.0)
    'Officers mentioned the latest assaults had been critical.'
    """
    sites = _spin_sites(text, rate)
    if not sites:
        return text
    rng = random.Random(f"{seed}")
    count = max(1, round(rate * len(sites)))
    chosen = sorted(rng.sample(range(len(sites)), count))
    edits = []
    for index in chosen:
        start, end, observed, forms = sites[index]
        edits.append((start, end, _carry_case(observed, rng.choice(forms))))
    return _apply(text, edits)


def _spin_sites(text: str, rate: float) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Where the spinner could act in `text`: span, phrase and the spun forms for it."""
    _check_text(text)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], not {rate!r}")
    pattern, spun_forms = _spinner()
    return [
        (match.start(), match.end(), match.group(), spun_forms[_key(match.group())])
        for match in pattern.finditer(text)
    ]


def damaged(
    text: str,
    kinds: Iterable[str] = ALL_DAMAGE,
    *,
    encoding: str | None = None,
    spin_rate: float = 0.5,
) -> SearchStrategy[str]:
    """Copies of `text` with any combination of the `kinds` of damage (see `ALL_DAMAGE`;
    `CHARACTER_DAMAGE` for the kinds textrepair undoes exactly), each applied or not.

    `encoding` is the codec of the mojibake; None draws one of cp1252, latin-1 and
    mac_roman. `spin_rate` is `spun`'s rate.
    """
    _check_text(text)
    wanted = tuple(dict.fromkeys(kinds))
    unknown = sorted(set(wanted) - set(ALL_DAMAGE))
    if unknown:
        raise ValueError(f"unknown kind(s) of damage {unknown}; known: {', '.join(ALL_DAMAGE)}")
    ordered = [kind for kind in ALL_DAMAGE if kind in wanted]
    encodings = st.just(encoding) if encoding else st.sampled_from(_MOJIBAKE_ENCODINGS)

    @st.composite
    def draw_damaged(draw: st.DrawFn) -> str:
        current = text
        for kind in ordered:
            if not draw(st.booleans()):
                continue
            if kind == "mojibake":
                current = draw(mojibake(current, draw(encodings)))
            elif kind == "spun":
                current = draw(spun(current, spin_rate))
            else:
                current = draw(_SIMPLE_KINDS[kind](current))
        return current

    return draw_damaged()


# Codecs `damaged` draws from: the mojibake seen most on the web (Windows-1252 and
# Latin-1 pages, old Mac text).
_MOJIBAKE_ENCODINGS = ("cp1252", "latin-1", "mac_roman")

_SIMPLE_KINDS: dict[str, Callable[[str], SearchStrategy[str]]] = {
    "glued": glued,
    "stray_whitespace": stray_whitespace,
    "control_characters": control_characters,
}


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"textrepair.strategies damage a str, not {type(text).__name__}")


def _fix_encoding(text: str) -> str:
    return ftfy.fix_text(text, _ENCODING_ONLY)


def _nonempty_subsets(size: int) -> SearchStrategy[list[int]]:
    """Sorted non-empty subsets of range(size); hypothesis shrinks them to one element."""
    return st.sets(st.integers(0, size - 1), min_size=1, max_size=size).map(sorted)


def _insertions(
    text: str, characters: SearchStrategy[str]
) -> list[tuple[int, int, SearchStrategy[str]]]:
    """Empty spans between tokens (where whitespace starts or ends, and at both ends of the
    text) at which `characters` may be inserted."""
    positions = {0, len(text)}
    positions.update(i for i in range(1, len(text)) if _is_space(text[i - 1]) != _is_space(text[i]))
    # Never between "\r" and "\n": the pair is one line break.
    positions = {i for i in positions if not (0 < i < len(text) and text[i - 1 : i + 1] == "\r\n")}
    return [(i, i, characters) for i in sorted(positions)]


def _is_space(char: str) -> bool:
    """ASCII whitespace only: a no-break space may be half of a mojibake ("Ã\xa0" for "à")."""
    return char in " \t\n\r\f\v"


def _some_edits(
    text: str, edits: Sequence[tuple[int, int, SearchStrategy[str]]]
) -> SearchStrategy[str]:
    """`text` with a non-empty subset of `edits` applied (just `text` when there is none)."""
    if not edits:
        return st.just(text)

    @st.composite
    def draw_edited(draw: st.DrawFn) -> str:
        chosen = draw(_nonempty_subsets(len(edits)))
        return _apply(text, [(edits[i][0], edits[i][1], draw(edits[i][2])) for i in chosen])

    return draw_edited()


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """`text` with sorted, non-overlapping (start, end, replacement) edits applied.

    An insertion and a replacement may share a start: the insertion goes first.
    """
    parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _key(phrase: str) -> str:
    """Lookup form of a found phrase: single spaces; lowercase unless it is a name."""
    phrase = " ".join(phrase.split())
    return phrase if phrase in _spinner()[1] else phrase.lower()


@functools.cache
def _spinner() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """The curated lexicon inverted: a pattern for the originals and their spun forms.

    Lowercase originals are keyed (and matched) case-insensitively, originals with
    capitals exactly. Built once per process.
    """
    forms: dict[str, list[str]] = {}
    for row in default_lexicon():
        if row.source in CURATED_SOURCES and not row.context:
            key = row.original if row.original != row.original.lower() else row.original.lower()
            forms.setdefault(key, [])
            if row.spun not in forms[key]:
                forms[key].append(row.spun)
    alternatives = []
    for original in sorted(forms, key=lambda o: (-len(o), o)):
        body = r"\s+".join(re.escape(word) for word in original.split())
        alternatives.append(f"(?i:{body})" if original == original.lower() else body)
    pattern = re.compile(r"(?<![\w'\u2019])(?:" + "|".join(alternatives) + r")(?![\w'\u2019])")
    return pattern, {original: tuple(spun) for original, spun in forms.items()}


def _carry_case(observed: str, form: str) -> str:
    """`form` in the capitalisation of `observed` (a name's form is kept as it is)."""
    if form != form.lower():
        return form
    if len(observed) > 1 and observed.isupper():
        return form.upper()
    if observed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
